/** Replace %(name)s placeholders, as Django's gettext strings write them. */
export function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}
