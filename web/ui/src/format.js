// Numbers as the counties reported them: a bound stays a bound.
import { lang, t } from './i18n.js';

/** Formats a number in the current language, without trailing zeros. */
export function number(v, digits = 2) {
  if (v == null) return '';
  return new Intl.NumberFormat(lang() === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits }).format(v);
}

/** A number in the metric's unit: CNY in 万元 (zh) or thousands (en) when large. */
export function amount(v, unit) {
  if (unit === 'PERCENT') return `${number(v, 1)}%`;
  if (unit === 'CNY') {
    if (lang() === 'zh' && Math.abs(v) >= 10000) return `${number(v / 10000, 2)}万元`;
    return lang() === 'zh' ? `${number(v)}元` : `¥${number(v)}`;
  }
  return number(v);
}

/**
 * A quantity with its qualifier: 500+ (at least 500), ≤500 (at most),
 * ≈500 (about); exact values are plain.
 */
export function quantity(q) {
  if (!q) return '—';
  const s = amount(q.value, q.unit);
  switch (q.qualifier) {
    case 'AT_LEAST': return `${s}+`;
    case 'AT_MOST': return `≤${s}`;
    case 'APPROXIMATE': return `≈${s}`;
    default: return s;
  }
}

/** A share as a percentage. */
export function share(v) {
  return v == null ? '' : `${number(v * 100, 1)}%`;
}

/** A label from a map of enum labels, e.g. enumLabel('statusOf', 'OPERATING'). */
export function enumLabel(map, v) {
  return t(map)?.[v] ?? v;
}

/** Escapes text for HTML. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
