// The widgets playground: mints a browser token with the dashboard session's key (POST /v1/tokens) and
// mounts the standalone widgets bundle with it, the way an app's own page would.
import { session } from "/dashboard/static/api.js";
import { mount } from "/dashboard/static/ai-workers-widgets.js";

const form = document.getElementById("playground-form");
const message = document.getElementById("playground-message");
const target = document.getElementById("playground-widgets");
const signedIn = session.load();
let unmount = null;

function show(text) {
  message.textContent = text;
  message.hidden = !text;
}

if (!signedIn || !signedIn.key) {
  show("Sign in to the dashboard with an API key first (a browser token is minted with it).");
  form.hidden = true;
} else {
  form.elements.app.value = signedIn.app || "";
  form.elements.app.readOnly = signedIn.role !== "admin";
}

async function mint() {
  const body = { user: form.elements.user.value.trim(), app: form.elements.app.value.trim() };
  const cap = form.elements.cap.value;
  if (cap !== "") body.max_spend_usd = Number(cap);
  const reply = await fetch("/v1/tokens", {
    method: "POST",
    headers: { Authorization: `Bearer ${signedIn.key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await reply.json();
  if (!reply.ok) throw new Error((data.error && data.error.message) || `HTTP ${reply.status}`);
  return data.token;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  show("");
  try {
    const first = await mint();
    let used = false;
    if (unmount) unmount();
    // The first token is already minted; later calls (after a 401) mint a fresh one.
    const token = () => (used ? mint() : ((used = true), first));
    unmount = mount(target, { baseUrl: window.location.origin, token, title: "Playground chat" });
  } catch (error) {
    show(`Could not mint a browser token: ${error.message}`);
  }
});
