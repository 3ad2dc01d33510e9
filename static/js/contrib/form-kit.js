/** Small DOM builders for proposal forms. Text always goes through textContent. */
let counter = 0;

export function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** A labelled field with its hint and error areas; returns {wrapper, input, message}. */
export function field({ label, name, value = "", multiline = false, type = "text", required = false, maxLength = 1000 }) {
  counter += 1;
  const id = `proposal-${name.replace(/[^a-zA-Z0-9_-]/g, "_")}-${counter}`;
  const wrapper = el("div", { className: "field" });
  const labelNode = el("label", { for: id }, label);
  if (required) labelNode.append(el("span", { "aria-hidden": "true" }, " *"));
  const input = multiline
    ? el("textarea", { id, name, rows: 3, maxlength: maxLength })
    : el("input", { id, name, type: type === "tel" || type === "url" || type === "email" ? type : "text", maxlength: maxLength });
  input.value = value ?? "";
  if (required) input.required = true;
  const message = el("p", { id: `${id}-message`, className: "hint", "aria-live": "polite" });
  input.setAttribute("aria-describedby", message.id);
  wrapper.append(labelNode, input, message);
  return { wrapper, input, message };
}

/** Show the server's refusal next to each field, and a summary that takes the focus. */
export function showErrors(form, summary, errors, fieldsByName) {
  summary.replaceChildren();
  const list = el("ul");
  for (const [key, messages] of Object.entries(errors || {})) {
    const name = key.startsWith("changes.") ? key.slice(8) : key;
    const target = fieldsByName[name];
    for (const message of messages) {
      list.append(el("li", {}, target ? `${target.label} : ${message}` : message));
    }
    if (target) {
      target.input.setAttribute("aria-invalid", "true");
      target.message.textContent = messages.join(" ");
      target.message.className = "hint error";
    }
  }
  summary.append(list);
  summary.hidden = false;
  summary.focus();
}
