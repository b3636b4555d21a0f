// The page is the same for every visitor, so a CDN can keep one copy of it.
// Only this small request is personal: it asks the server who the visitor is.
fetch("/me", { credentials: "same-origin" })
  .then((answer) => answer.json())
  .then((me) => {
    document.getElementById("greeting").textContent = me.name ? "Hello, " + me.name + "!" : "Hello!";
  });
