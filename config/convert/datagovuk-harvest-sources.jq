# data.gov.uk harvest sources (the ckan-datagovuk-harvest-sources job): inactive ones stay behind; source types renamed.
def source_types: {"gemini-single": "single-doc", "gemini-csw": "csw", "gemini-waf": "waf", "data_json": "dcat_json"};

if .active == false then empty
else .source_type = (source_types[.source_type] // .source_type)
end
