// Small helpers to build the page from data without inline HTML or styles.
let idCounter = 0;

export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// h('a', {href, class: 'x', on: {click}}, 'text', child, [more]) builds an element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = v;
    }
    else if (key === 'text') el.textContent = value;
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'hidden' || key === 'multiple')
      el[key] = Boolean(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === '') continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// An element with text in another language than the page gets its own lang attribute.
export function textIn(tag, picked, attrs = {}) {
  const el = h(tag, attrs, picked.text);
  if (picked.lang !== document.documentElement.lang) el.lang = picked.lang;
  return el;
}

// Saves the values of a form's named fields, to restore them after the form is drawn again.
export function snapshotForm(form) {
  if (!form) return null;
  const values = [];
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox' || el.type === 'radio') values.push({ name: el.name, value: el.value, checked: el.checked });
    else values.push({ name: el.name, value: el.value });
  }
  return values;
}

export function restoreForm(form, values) {
  if (!form || !values) return;
  for (const saved of values) {
    for (const el of form.elements) {
      if (el.name !== saved.name) continue;
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.value === saved.value) el.checked = saved.checked;
      } else {
        el.value = saved.value;
      }
    }
  }
}
