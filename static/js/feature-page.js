/** A place's own page: the same proposals as on the map, without the map (positions are
 * typed), so that everything can be done from the list with a keyboard or a screen reader. */
import { contributionContext } from "./contrib/context.js";
import { renderProposalActions } from "./contrib/proposal-forms.js";

const container = document.getElementById("feature-proposals");
const context = contributionContext(document.getElementById("contribution-context"));

const response = await fetch(container.dataset.featureUrl, { headers: { Accept: "application/json" } });
if (response.ok) {
  renderProposalActions(container, { feature: await response.json(), context, moveTool: null });
}
