/** Check a typed value while the person types: the server answers with the same rules that
 * will judge the proposal (one source of truth), a short while after the last key. */
const DELAY_MS = 300;

export function attachValidation(input, { url, type, message, strings }) {
  if (!type || type === "text") return;
  let timer = null;
  let controller = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const value = input.value.trim();
    if (!value) {
      input.removeAttribute("aria-invalid");
      message.textContent = "";
      return;
    }
    timer = setTimeout(async () => {
      if (controller) controller.abort();
      controller = new AbortController();
      message.textContent = strings.checking;
      message.className = "hint";
      try {
        const params = new URLSearchParams({ type, value });
        const response = await fetch(`${url}?${params}`, { signal: controller.signal });
        const result = await response.json();
        input.setAttribute("aria-invalid", result.valid ? "false" : "true");
        message.textContent = result.valid ? strings.valid : result.message;
        message.className = result.valid ? "hint ok" : "hint error";
      } catch (error) {
        if (error.name !== "AbortError") message.textContent = "";
      }
    }, DELAY_MS);
  });
}
