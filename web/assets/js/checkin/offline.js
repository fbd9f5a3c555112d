// The door page without a network: the saved list (names and ticket hashes of confirmed attendees),
// the scans queued on this phone, their sending in batches, and the ones the server disagreed with.
import * as store from './store.js';
import { door, fold, ticketHash } from './door-api.js';

const BATCH = 200;

export class DoorData {
  // deviceKey: the random part of this phone's device id, to tell its own earlier check-ins from others'.
  constructor({ deviceKey, onChange }) {
    this.deviceKey = deviceKey;
    this.onChange = onChange || (() => {});
    this.eventId = null;
    this.roster = null;
    this.byHash = new Map();
    this.queue = [];
    this.attention = [];
    this.syncing = null;
  }

  async load(eventId) {
    this.eventId = eventId;
    this.setRoster((await store.get('roster', eventId)) || null);
    await this.reloadLists();
  }

  async reloadLists() {
    const byTime = (a, b) => String(a.scanned_at).localeCompare(String(b.scanned_at));
    this.queue = (await store.all('queue')).filter((q) => q.event_id === this.eventId).sort(byTime);
    this.attention = (await store.all('attention')).filter((q) => q.event_id === this.eventId).sort(byTime);
    this.onChange();
  }

  setRoster(roster) {
    this.roster = roster;
    this.byHash = new Map((roster ? roster.attendees : []).map((a) => [a.ticket_hash, a]));
  }

  async refreshRoster(token) {
    const roster = await door(token, '/api/v1/checkin/roster');
    // Names and ticket hashes only: nothing else about attendees is kept on the phone.
    const kept = {
      event_id: roster.event_id,
      generated_at: roster.generated_at,
      attendees: (roster.attendees || []).map((a) => ({ name: a.name, ticket_hash: a.ticket_hash, checked_in: Boolean(a.checked_in) })),
    };
    await store.put('roster', kept);
    if (kept.event_id === this.eventId) this.setRoster(kept);
    this.onChange();
    return kept;
  }

  lookup(hash) {
    return this.byHash.get(hash) || null;
  }

  pendingFor(hash) {
    return this.queue.find((q) => q.ticket_hash === hash) || null;
  }

  // A check-in the server confirmed: the saved list says so too, in case the network drops next.
  markChecked(hash, checked = true) {
    const entry = this.byHash.get(hash);
    if (entry) entry.checked_in = checked;
  }

  searchNames(q) {
    const needle = fold(q);
    if (needle.length < 2 || !this.roster) return [];
    return this.roster.attendees
      .filter((a) => fold(a.name).includes(needle))
      .slice(0, 25)
      .map((a) => ({ ...a, pending: Boolean(this.pendingFor(a.ticket_hash)) }));
  }

  async enqueue(item) {
    const entry = { ...item, event_id: this.eventId };
    await store.put('queue', entry);
    this.queue.push(entry);
    this.onChange();
    return entry;
  }

  async dequeue(nonce) {
    await store.remove('queue', nonce);
    this.queue = this.queue.filter((q) => q.nonce !== nonce);
    this.onChange();
  }

  async flag(item, problem) {
    const entry = {
      nonce: item.nonce,
      event_id: this.eventId,
      scanned_at: item.scanned_at,
      name: problem.name || item.name || '',
      ticket_code: item.ticket_code || '',
      ...problem,
    };
    await store.put('attention', entry);
    this.attention = this.attention.filter((a) => a.nonce !== entry.nonce).concat(entry);
  }

  async dismiss(nonce) {
    await store.remove('attention', nonce);
    this.attention = this.attention.filter((a) => a.nonce !== nonce);
    this.onChange();
  }

  // A check-in made offline from the saved list has a ticket hash and no code. The server's search gives
  // the codes of people with that name; the one whose hash matches is the same ticket.
  async resolveByName(token, item) {
    if (fold(item.name).length < 2) return null;
    let found;
    try {
      found = await door(token, `/api/v1/events/${encodeURIComponent(this.eventId)}/checkin/search?q=${encodeURIComponent(item.name)}`);
    } catch (err) {
      if (err.status === 400) return null;
      throw err;
    }
    for (const match of found.matches || []) if ((await ticketHash(match.ticket_code)) === item.ticket_hash) return match.ticket_code;
    return null;
  }

  // Sends the queued scans; resolves with how many the server answered. Rejects with the ApiError of the
  // request that failed (status 0 when the network is still down); what was answered is settled already.
  sync(token) {
    if (!this.syncing) {
      this.syncing = this.sendQueued(token).finally(() => {
        this.syncing = null;
        this.onChange();
      });
    }
    return this.syncing;
  }

  async sendQueued(token) {
    let answered = 0;
    for (;;) {
      const items = this.queue.slice(0, BATCH);
      if (!items.length) return answered;
      const scans = [];
      for (const item of items) {
        if (item.ticket_code) {
          scans.push(item);
          continue;
        }
        const code = await this.resolveByName(token, item);
        if (code) {
          item.ticket_code = code;
          await store.put('queue', item);
          scans.push(item);
        } else {
          await this.flag(item, { kind: 'unresolved' });
          await this.dequeue(item.nonce);
          answered += 1;
        }
      }
      if (!scans.length) continue;
      const body = {
        scans: scans.map((s) => ({ ticket_code: s.ticket_code, scanned_at: s.scanned_at, device_id: s.device_id, nonce: s.nonce })),
      };
      let answer;
      try {
        answer = await door(token, '/api/v1/checkin/batch', { method: 'POST', body });
      } catch (err) {
        // The server refuses a whole batch for one malformed scan: that one needs attention, the others go again.
        const bad = err.status === 400 ? this.rejectedIn(err, scans) : [];
        if (!bad.length) throw err;
        for (const item of bad) {
          await this.flag(item, { kind: 'refused', message: err.message || '' });
          await this.dequeue(item.nonce);
          answered += 1;
        }
        continue;
      }
      const results = answer.results || [];
      for (const [i, result] of results.entries()) {
        const item = scans.find((s) => s.nonce === result.nonce) || scans[i];
        if (!item) continue;
        await this.settle(item, result);
        await this.dequeue(item.nonce);
        answered += 1;
      }
      if (results.length < scans.length) return answered;
    }
  }

  rejectedIn(err, scans) {
    const indexes = new Set(Object.keys(err.fields || {}).map((path) => Number((path.match(/^scans\[(\d+)\]/) || [])[1])));
    return scans.filter((_, i) => indexes.has(i));
  }

  // The server's answer to one queued scan is the truth; what differs from this phone's guess needs attention.
  async settle(item, result) {
    if (result.error) {
      const code = result.error.code;
      await this.flag(item, { kind: code === 'not_found' ? 'not_found' : 'refused', message: result.error.message || '' });
      return;
    }
    const name = (result.registration && result.registration.name) || item.name;
    if (item.ticket_hash) this.markChecked(item.ticket_hash);
    if (result.result === 'checked_in') {
      if (item.provisional === 'unlisted') await this.flag(item, { kind: 'unlisted', name, mode: result.registration && result.registration.mode });
      return;
    }
    const mine = result.device_id && this.deviceKey && String(result.device_id).includes(this.deviceKey);
    if (!mine) await this.flag(item, { kind: 'elsewhere', name, at: result.checked_in_at, device: result.device_id || '' });
  }
}
