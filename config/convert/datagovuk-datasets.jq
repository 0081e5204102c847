# data.gov.uk datasets, from CKAN 2.6 with ckanext-dgu to CKAN 2.9+ with ckanext-datagovuk (the ckan-datagovuk-datasets job).
# A record comes in as `.`; what comes out is written; `empty` drops it; error(...) rejects it with that reason.

def theme_slugs: {
  "Business & Economy": "business-and-economy", "Crime & Justice": "crime-and-justice", "Defence": "defence",
  "Education": "education", "Environment": "environment", "Government": "government",
  "Government Spending": "government-spending", "Health": "health", "Mapping": "mapping", "Society": "society",
  "Towns & Cities": "towns-and-cities", "Transport": "transport"
};

# a list of {id, ...} dicts (or a bare value) as a list of ids
def id_list: if type == "array" then map(if type == "object" then .id else . end)
             elif . == null or . == "" then [] else [.] end;

# a top-level key moved into extras, its value as a JSON string
def to_extra($key):
  if has($key) then
    .extras = [(.extras // [])[] | select(.key != $key)] + [{key: $key, value: (.[$key] | tojson)}] | del(.[$key])
  else . end;

del(.tags, .num_tags, .individual_resources, .additional_resources, .timeseries_resources)
| if has("theme-primary") and .["theme-primary"] != "" then
    .["theme-primary"] as $theme
    | .["theme-primary"] = (theme_slugs[$theme] // error("theme-primary '\($theme)' is not a data.gov.uk theme"))
    | .extras = [(.extras // [])[] | select(.key != "theme-primary")]
  else . end
| if has("codelist") then .codelist |= id_list else . end
| if has("schema") then .["schema-vocabulary"] = (.schema | id_list) | del(.schema) else . end
| to_extra("archival") | to_extra("archiver") | to_extra("qa") | to_extra("theme-secondary")
| to_extra("geographic_coverage")
