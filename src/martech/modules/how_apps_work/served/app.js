// The app shell's only script: register the service worker, then show the balance.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js");
}

async function showBalance() {
  const status = document.getElementById("status");
  try {
    const answer = await fetch("/api/me", {cache: "no-store"});
    const me = await answer.json();
    document.getElementById("points").textContent = me.points.toLocaleString("en");
    document.getElementById("member").textContent = "Member " + me.member + ", " + me.name;
    document.getElementById("as-of").textContent = "Balance as of " + me.as_of;
    const fromCache = answer.headers.get("X-From-Cache") === "yes";
    status.textContent = fromCache ? "You are offline: this is the last balance the app saw."
                                   : "Up to date.";
    status.className = fromCache ? "offline" : "";
  } catch (error) {
    status.textContent = "You are offline and the app has no balance stored yet.";
    status.className = "offline";
  }
}
showBalance();
