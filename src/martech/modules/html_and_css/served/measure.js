/* audit() and the exercise's checks: everything the rules need, measured in the page as laid out.
   Elements carry data-line="N" (added by with_line_numbers) so that each finding can name its line. */
() => {
  const W = document.documentElement.clientWidth;
  const where = el => el.closest('[data-line]') ? Number(el.closest('[data-line]').getAttribute('data-line')) : null;
  const tag = el => {
    let s = '<' + el.tagName.toLowerCase();
    for (const name of ['class', 'id', 'src', 'href']) if (el.hasAttribute(name)) s += ' ' + name + '="' + el.getAttribute(name) + '"';
    return s + '>';
  };
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = c => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = 'rgba(0,0,0,0)'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
                      const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255]; };
  const visible = el => { const cs = getComputedStyle(el); return el.getClientRects().length > 0 && cs.visibility !== 'hidden' && cs.opacity !== '0'; };
  const out = {};
  const vp = document.querySelector('meta[name="viewport" i]');
  out.viewport = vp ? vp.getAttribute('content') : null;
  out.width = W;
  out.scrollWidth = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
  // Sideways scroll: the outermost elements that stick out on the right, and the CSS that made them so wide.
  const sticksOut = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > W + 1; };
  const wide = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    // Report an element that sticks out when its parent does not, or when it sticks out of its parent too.
    const parent = el.parentElement;
    if (!sticksOut(el) || (parent && parent !== document.body && sticksOut(parent)
        && el.getBoundingClientRect().right <= parent.getBoundingClientRect().right + 1)) continue;
    const cs = getComputedStyle(el), rules = [];
    for (const sheet of document.styleSheets) {
      let list; try { list = sheet.cssRules; } catch (e) { continue; }
      const walk = items => { for (const rule of items) {
        if (rule.media && rule.cssRules) { if (matchMedia(rule.media.mediaText).matches) walk(rule.cssRules); continue; }
        if (!rule.selectorText) continue;
        let hit = false; try { hit = el.matches(rule.selectorText); } catch (e) {}
        if (hit) for (const p of ['width', 'min-width']) if (rule.style.getPropertyValue(p)) rules.push({selector: rule.selectorText, property: p, value: rule.style.getPropertyValue(p)});
      } };
      walk(list);
    }
    if (el.style.width) rules.push({selector: 'style="…"', property: 'width', value: el.style.width});
    const r = el.getBoundingClientRect();
    wide.push({tag: tag(el), line: where(el), width: Math.round(r.width), right: Math.round(r.right), rules,
               boxSizing: cs.boxSizing, padding: Math.round(parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight)),
               natural: el.tagName === 'IMG' ? el.naturalWidth : null});
    if (wide.length >= 4) break;
  }
  out.wide = wide;
  out.images = [...document.images].map(img => ({tag: tag(img), line: where(img), alt: img.getAttribute('alt'),
    decorative: img.getAttribute('role') === 'presentation' || img.getAttribute('role') === 'none' || img.getAttribute('aria-hidden') === 'true',
    inLink: !!img.closest('a[href]')}));
  out.headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible).map(h => ({level: Number(h.tagName[1]),
    text: h.innerText.trim().replace(/\s+/g, ' ').slice(0, 60), line: where(h)}));
  out.links = [...document.querySelectorAll('a[href]')].filter(visible).map(a => {
    const name = (a.getAttribute('aria-label') || a.innerText || [...a.querySelectorAll('img[alt]')].map(i => i.alt).join(' ') || '').trim().replace(/\s+/g, ' ');
    // The link's context, as WCAG 2.4.4 allows: the rest of its sentence, paragraph, list item or table cell.
    const holder = a.closest('p, li, td, th, dd');
    const context = holder ? holder.innerText.replace(a.innerText, ' ').trim().replace(/\s+/g, ' ') : '';
    return {tag: tag(a), line: where(a), name, context};
  });
  out.title = document.title;
  const titles = document.querySelectorAll('head title');
  out.titleCount = titles.length;
  const description = document.querySelector('meta[name="description" i]');
  out.description = description ? (description.getAttribute('content') || '') : null;
  out.text = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !visible(el)) continue;
    const cs = getComputedStyle(el);
    const layers = []; let image = false;
    for (let node = el; node; node = node.parentElement) {
      const ns = getComputedStyle(node);
      if (ns.backgroundImage && ns.backgroundImage !== 'none') { image = true; break; }
      const c = rgba(ns.backgroundColor); if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    out.text.push({tag: tag(el), line: where(el), color: rgba(cs.color), layers, image,
                   size: parseFloat(cs.fontSize), bold: Number(cs.fontWeight) >= 700,
                   words: [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ').trim().replace(/\s+/g, ' ').slice(0, 40)});
  }
  const h1 = document.querySelector('h1');
  out.h1 = h1 ? h1.innerText.trim() : '';
  out.imageCount = document.images.length;
  out.linkTargets = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  return out;
}
