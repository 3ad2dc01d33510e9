/**
 * The side panel of a feature. Every value is set with textContent: attributes come from
 * portal files and citizens, and are never interpreted as HTML.
 */
function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function displayValue(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Fills the panel and returns the element where actions on the place belong. */
export function renderFeaturePanel(container, feature, strings) {
  const meta = feature.meta;
  container.replaceChildren();
  container.append(element("h3", meta.name || meta.key || strings.unnamed, "feature-name"));

  container.append(element("h4", strings.issues));
  if (meta.issues.length) {
    const list = element("ul", null, "issues");
    for (const problem of meta.issues) {
      let text = problem.label;
      if (problem.field) text += ` (${problem.field})`;
      if (problem.value) text += ` : « ${problem.value} »`;
      list.append(element("li", text));
    }
    container.append(list);
  } else {
    container.append(element("p", strings.noIssues, "ok"));
  }

  // The proposals come before the long attribute table: they are what a workshop is for.
  const actions = element("div", null, "feature-actions");
  container.append(actions);

  container.append(element("h4", strings.attributes));
  const table = element("table", null, "attributes");
  const body = element("tbody");
  for (const name of meta.columns) {
    const row = element("tr");
    const header = element("th", name);
    header.scope = "row";
    row.append(header, element("td", displayValue(feature.properties[name])));
    body.append(row);
  }
  table.append(body);
  container.append(table);

  const link = element("a", strings.details);
  link.href = meta.url;
  const paragraph = element("p");
  paragraph.append(link);
  container.append(paragraph);
  return actions;
}
