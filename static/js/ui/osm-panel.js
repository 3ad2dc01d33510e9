/** The OpenStreetMap part of a place's panel: what OSM says next to what the portal says. */
function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export async function renderOsmSection(container, url, strings) {
  let match;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    match = await response.json();
  } catch {
    return;
  }
  if (!match.status) return;
  const section = element("section", null, "osm-section");
  section.append(element("h4", strings.osmTitle));
  section.append(element("p", match.status_label, `osm-status osm-${match.status}`));
  if (match.url) {
    const link = element("a", strings.osmLink);
    link.href = match.url;
    link.rel = "noopener";
    link.target = "_blank";
    const paragraph = element("p");
    paragraph.append(link);
    section.append(paragraph);
  }
  if (match.differences.length) {
    const table = element("table", null, "attributes");
    const caption = element("caption", strings.osmDifferences);
    const head = element("thead");
    const headRow = element("tr");
    for (const title of [strings.osmField, strings.osmPortal, "OpenStreetMap"]) {
      const th = element("th", title);
      th.scope = "col";
      headRow.append(th);
    }
    head.append(headRow);
    const body = element("tbody");
    for (const difference of match.differences) {
      const row = element("tr");
      const th = element("th", `${difference.field} (${difference.tag})`);
      th.scope = "row";
      row.append(th, element("td", difference.dataset ?? ""), element("td", difference.osm ?? ""));
      body.append(row);
    }
    table.append(caption, head, body);
    section.append(table);
  }
  if (match.reasons.length) {
    const list = element("ul", null, "reasons");
    for (const reason of match.reasons) list.append(element("li", reason));
    section.append(list);
  }
  container.append(section);
}
