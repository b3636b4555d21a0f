/* box(): the box model of one element (content, padding, border, margin, in CSS pixels)
   and the CSS width rule that applies to it, media queries included. */
el => {
    const cs = getComputedStyle(el), r = el.getBoundingClientRect(), px = v => parseFloat(v) || 0;
    let cssWidth = 'auto';
    const walk = rules => { for (const rule of rules) {
        if (rule.media && rule.cssRules) { if (matchMedia(rule.media.mediaText).matches) walk(rule.cssRules); continue; }
        let hit = false; try { hit = rule.selectorText && el.matches(rule.selectorText); } catch (e) {}
        if (hit && rule.style.width) cssWidth = rule.style.width; } };
    for (const sheet of document.styleSheets) { try { walk(sheet.cssRules); } catch (e) {} }
    if (el.style.width) cssWidth = el.style.width;
    if (cssWidth === 'auto' && el.hasAttribute('width')) cssWidth = 'none in CSS; the HTML says width="' + el.getAttribute('width') + '"';
    const pl = px(cs.paddingLeft), pr = px(cs.paddingRight), bl = px(cs.borderLeftWidth), br = px(cs.borderRightWidth);
    return {boxSizing: cs.boxSizing, cssWidth, content: r.width - pl - pr - bl - br, paddingLeft: pl, paddingRight: pr,
            borderLeft: bl, borderRight: br, box: r.width, marginLeft: px(cs.marginLeft), marginRight: px(cs.marginRight),
            right: r.right, screen: document.documentElement.clientWidth};
}
