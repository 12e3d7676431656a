// Small DOM helpers of the dashboard: money and signed figures as formatted decimal strings,
// table cells, times, notices.
import { compareDecimals, formatDecimal } from '/client/portfolio-client.js';

export const $ = id => document.getElementById(id);

export function setMoney(element, value) {
  element.textContent = formatDecimal(value, { minFraction: 2 });
}

export function setSigned(element, value, format, suffix = '') {
  const sign = compareDecimals(value, '0');
  element.textContent = value == null ? '—' : formatDecimal(value, { ...format, plus: true }) + suffix;
  element.classList.toggle('up', sign === 1);
  element.classList.toggle('down', sign === -1);
}

export function appendCells(row, cells) {
  for (const [text, className] of cells) {
    const cell = row.insertCell();
    cell.textContent = text;
    cell.className = className;
  }
}

export function time(iso) {
  const parsed = Date.parse(iso ?? '');
  return Number.isNaN(parsed) ? '' : new Date(parsed).toLocaleTimeString([], { hour12: false });
}

export function toast(text, kind) {
  const note = document.createElement('div');
  note.className = 'toast';
  note.dataset.kind = kind;
  note.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  note.textContent = text;
  $('toasts').append(note);
  setTimeout(() => note.remove(), kind === 'error' ? 10000 : 5000);
}
