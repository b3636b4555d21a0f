/* select(): what a CSS selector picks, each element as its tag and its first 40 characters of text. */
els => els.map(el => {
  const words = (el.innerText || el.getAttribute('alt') || '').trim().replace(/\s+/g, ' ');
  return '<' + el.tagName.toLowerCase() + '> ' + (words.length > 40 ? words.slice(0, 39) + '…' : words);
})
