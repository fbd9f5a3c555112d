// Dates and times in the event's time zone and in the viewer's, seat counts, and mode names.
import { lang, locale, t, tn } from './i18n.js';

export function viewerZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function safeZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

// "9:00" in English, "9 h 00" in French: a 24-hour clock, as used across Canada's two languages.
export function clock(date, tz, l = lang()) {
  const parts = new Intl.DateTimeFormat(locale(l), {
    timeZone: safeZone(tz),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const hour = String(Number(parts.find((p) => p.type === 'hour')?.value ?? '0'));
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return l === 'fr' ? `${hour} h ${minute}` : `${hour}:${minute}`;
}

// The zone's short name as the server and the emails write it in both languages: EST, ADT, GMT+1.
export function zoneName(date, tz) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: safeZone(tz), timeZoneName: 'short' }).formatToParts(date);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
}

export function longDate(date, tz, l = lang()) {
  return new Intl.DateTimeFormat(locale(l), { timeZone: safeZone(tz), dateStyle: 'full' }).format(date);
}

export function shortDate(date, tz, l = lang()) {
  return new Intl.DateTimeFormat(locale(l), { timeZone: safeZone(tz), dateStyle: 'medium' }).format(date);
}

function dayKey(date, tz) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: safeZone(tz), year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

// {date, time, text} of a start–end span in one zone; `abbreviation` overrides the zone's short name.
export function span(startIso, endIso, tz, { l = lang(), abbreviation } = {}) {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const zone = abbreviation || zoneName(start, tz);
  if (dayKey(start, tz) === dayKey(end, tz)) {
    const date = longDate(start, tz, l);
    const time = `${clock(start, tz, l)}–${clock(end, tz, l)} ${zone}`;
    return { date, time, text: `${date}, ${time}` };
  }
  const date = `${longDate(start, tz, l)} – ${longDate(end, tz, l)}`;
  const time = `${clock(start, tz, l)} – ${clock(end, tz, l)} ${zone}`;
  return {
    date,
    time,
    text: `${longDate(start, tz, l)}, ${clock(start, tz, l)} – ${longDate(end, tz, l)}, ${clock(end, tz, l)} ${zone}`,
  };
}

// The event's times in its own zone and, when they read differently there, in the viewer's zone.
export function eventTimes(event, l = lang()) {
  const tz = event.timezone;
  const here = viewerZone();
  const inEvent = span(event.starts_at, event.ends_at, tz, { l });
  const shown = event.timezone_abbreviation
    ? span(event.starts_at, event.ends_at, tz, { l, abbreviation: event.timezone_abbreviation })
    : inEvent;
  const inViewer = span(event.starts_at, event.ends_at, here, { l });
  return { event: shown, viewer: inViewer.text === inEvent.text ? null : inViewer };
}

export function dateTime(iso, tz, l = lang()) {
  const d = new Date(iso);
  return `${longDate(d, tz, l)}, ${clock(d, tz, l)} ${zoneName(d, tz)}`;
}

export function clockSpan(startIso, endIso, tz, l = lang()) {
  return `${clock(new Date(startIso), tz, l)}–${clock(new Date(endIso), tz, l)}`;
}

export function modesOf(event) {
  if (event.format === 'hybrid') return ['in_person', 'online'];
  if (event.format === 'online') return ['online'];
  return ['in_person'];
}

export function seatsText(seats, waitlist) {
  if (!seats) return '';
  if (seats.remaining > 0) return tn('seats.left', seats.remaining);
  return waitlist ? t('seats.full.waitlist') : t('seats.full');
}

export function modeName(mode) {
  return t(`mode.${mode}`);
}

// "in-person" before a noun, "in person" after a verb (the same words in French).
export function modeAdj(mode) {
  return t(`mode.${mode}.adj`);
}

export function modeAdv(mode) {
  return t(`mode.${mode}.adv`);
}

export function formatName(format) {
  return t(`format.${format}`);
}

export function isOver(event) {
  return new Date(event.ends_at).getTime() <= Date.now();
}

export function venueLine(venue) {
  if (!venue) return '';
  return [venue.name, venue.address, venue.city, venue.province, venue.postal_code].filter(Boolean).join(', ');
}

// An OpenStreetMap search for the venue's address (the place name only when there is no street).
export function mapLink(venue) {
  if (!venue) return null;
  const parts = venue.address
    ? [venue.address, venue.city, venue.province, venue.postal_code]
    : [venue.name, venue.city, venue.province];
  const q = parts.filter(Boolean).join(', ');
  if (!q) return null;
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(q)}`;
}
