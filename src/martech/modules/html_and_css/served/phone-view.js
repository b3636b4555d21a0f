/* phone_view(): how wide the page is laid out, how far it is zoomed, and the size of its text. */
() => ({
  layout: document.documentElement.clientWidth, scale: visualViewport.scale,
  font: parseFloat(getComputedStyle(document.querySelector('p') || document.body).fontSize)})
