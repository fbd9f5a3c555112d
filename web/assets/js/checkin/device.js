// This phone: its random identifier and the name a volunteer gives it, kept in localStorage, and its
// preferences (sound, vibration, closing results by themselves).
import { newNonce } from './door-api.js';

const DEVICE_KEY = 'ensemble.checkin.device';
const LABEL_KEY = 'ensemble.checkin.label';
const PREFS_KEY = 'ensemble.checkin.prefs';

function readJson(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || '{}') || {};
  } catch {
    return {};
  }
}

let memoryKey = '';

// A random identifier made once per phone (per browser profile).
export function deviceKey() {
  try {
    let id = localStorage.getItem(DEVICE_KEY) || '';
    if (!id) {
      id = newNonce().replace(/-/g, '').slice(0, 10);
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    memoryKey = memoryKey || newNonce().replace(/-/g, '').slice(0, 10);
    return memoryKey;
  }
}

export function deviceLabel() {
  try {
    return localStorage.getItem(LABEL_KEY) || '';
  } catch {
    return '';
  }
}

export function setDeviceLabel(text) {
  const value = String(text || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  try {
    if (value) localStorage.setItem(LABEL_KEY, value);
    else localStorage.removeItem(LABEL_KEY);
  } catch {
    // Not kept when storage is blocked.
  }
  return value;
}

// What the server records for each check-in of this phone: its name and its random identifier.
export function deviceId() {
  const label = deviceLabel();
  return label ? `${label} (${deviceKey()})` : deviceKey();
}

export const prefs = { sound: true, vibrate: true, autoclose: true, ...readJson(PREFS_KEY) };

export function savePrefs() {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Kept for this visit only.
  }
}
