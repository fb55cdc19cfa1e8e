"""The scripts the walkthrough runs in the recorded page: covering valid NISS numbers (in text and in fields)
and counting what stays readable, keeping them covered in the video, and tagging each element an action uses with
its number for the screenshot (e2e/walkthrough.py)."""

# Finds valid NISS in the page (text and field values), marks their element with data-csam-niss, and counts
# what it covered and what is still readable. The check digits: 97 - (number mod 97), with a 2 before the
# number for births from 2000.
MASK_SCRIPT = """
(show) => {
  const valid = (digits) => {
    if (!/^[0-9]{11}$/.test(digits)) return false;
    const base = digits.slice(0, 9), check = Number(digits.slice(9));
    return [base, '2' + base].some((b) => 97 - Number(BigInt(b) % 97n) === check);
  };
  const found = (text) => (text.match(/[0-9][0-9 .\\-\\/]{9,16}[0-9]/g) || [])
    .map((t) => t.replace(/[ .\\-\\/]/g, '')).filter(valid).length;
  let covered = 0, readable = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const n = found(node.textContent);
    if (!n) continue;
    const el = node.parentElement;
    if (show) { readable += n; continue; }
    el.setAttribute('data-csam-niss', '');
    covered += n;
  }
  for (const input of document.querySelectorAll('input, textarea')) {
    const n = found(input.value || '');
    if (!n) continue;
    if (show) { readable += n; continue; }
    input.setAttribute('data-csam-niss', '');
    covered += n;
  }
  if (!show) {
    // What is still readable: text or values with a valid NISS outside every covered element.
    const w2 = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = w2.nextNode(); node; node = w2.nextNode()) {
      if (!node.parentElement.closest('[data-csam-niss]')) readable += found(node.textContent);
    }
    for (const input of document.querySelectorAll('input:not([data-csam-niss]), textarea:not([data-csam-niss])')) {
      readable += found(input.value || '');
    }
  }
  return {covered, readable};
}
"""
# The covering, kept up to date in the video as pages load and fields are typed into.
MASK_INIT = """
(() => {
  const style = '[data-csam-niss]{background:#000!important;color:#000!important;'
    + '-webkit-text-fill-color:#000!important;text-shadow:none!important;border-color:#000!important;'
    + 'caret-color:#000!important}';
  const mark = () => { try { (MASK_SCRIPT)(false); } catch (e) {} };
  document.addEventListener('DOMContentLoaded', () => {
    const s = document.createElement('style'); s.textContent = style; document.head.appendChild(s); mark();
    new MutationObserver(mark).observe(document.body, {subtree: true, childList: true, characterData: true});
    document.addEventListener('input', mark, true);
  });
})();
""".replace("MASK_SCRIPT", MASK_SCRIPT.strip())
# Tags the element about to be acted on with its number (unless an earlier action of the instruction already
# did) and says what a trainer reads next to the number: the element's accessible name, whether it submits or
# leaves the page (a button or a link), and its kind for the verb.
MARK = """(el, [attribute, n]) => {
  const t = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const ids = el.getAttribute('aria-labelledby');
  const name = t(ids && ids.split(' ').map((i) => document.getElementById(i)?.textContent).join(' '))
    || t(el.getAttribute('aria-label')) || t(el.labels && el.labels[0] && el.labels[0].textContent)
    || (el.tagName === 'INPUT' && /^(submit|button)$/.test(el.type) ? t(el.value) : '')
    || t(el.textContent) || t(el.getAttribute('title')) || t(el.querySelector('img')?.alt)
    || t(el.getAttribute('placeholder')) || t(el.getAttribute('name'));
  const known = el.getAttribute(attribute);
  if (!known) el.setAttribute(attribute, String(n));
  const submits = !!el.closest('a[href], button, [role=button], [role=link], '
    + 'input[type=submit], input[type=button], input[type=image]');
  // A required field's asterisk is the site's typography, not part of what a trainer reads.
  return {n: Number(known || n), fresh: !known, name: name.replace(/\\s*\\*$/, '').slice(0, 90), submits,
          type: el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase()};
}"""
# At the screenshot: how many of the fields typed into or chosen in show a value (the evidence that a form is
# shown as filled); then the tags go, so that the next instruction numbers its own elements from 1.
TYPED = """(attribute) => [...document.querySelectorAll(`[${attribute}]`)]
  .filter((el) => /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) && !/^(checkbox|radio|submit|button)$/.test(el.type)
    && el.value !== '').length"""
UNTAG = "(attribute) => document.querySelectorAll(`[${attribute}]`).forEach((el) => el.removeAttribute(attribute))"
