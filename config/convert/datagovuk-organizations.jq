# data.gov.uk organizations (the ckan-datagovuk-organizations job): contact-* and foi-* extras become fields.
def promoted($key): ($key | startswith("contact-")) or ($key | startswith("foi-"));

reduce ((.extras // [])[] | select(promoted(.key))) as $extra (.; .[$extra.key] = $extra.value)
| .extras = [(.extras // [])[] | select(promoted(.key) | not)]
