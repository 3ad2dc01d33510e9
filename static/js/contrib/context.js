/** What the contribution scripts need from the page, read once from a JSON script tag. */
import { Outbox } from "./outbox.js";
import { format } from "../ui/text.js";

export function contributionContext(script) {
  const data = JSON.parse(script.textContent);
  const outbox = new Outbox(data.contributionsUrl);
  const banner = document.getElementById("outbox-status");
  if (banner) {
    outbox.onChange((count) => {
      banner.hidden = count === 0;
      banner.textContent = count ? format(data.strings.queued, { count }) : "";
    });
  }
  return {
    ...data,
    outbox,
    photoUrl: (id) => data.photoUrl.replace(/0\/photo\/$/, `${id}/photo/`),
  };
}
