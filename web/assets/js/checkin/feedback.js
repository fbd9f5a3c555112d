// A sound and a vibration per result, different for each colour, where the phone allows them.
let audio = null;

// Browsers start sound only after a tap or a key: the first one on the page unlocks it.
export function unlockSound() {
  const start = () => {
    try {
      if (!audio) {
        const Context = window.AudioContext || window.webkitAudioContext;
        if (Context) audio = new Context();
      }
      if (audio && audio.state === 'suspended') audio.resume().catch(() => {});
    } catch {
      audio = null;
    }
  };
  window.addEventListener('pointerdown', start, { capture: true });
  window.addEventListener('keydown', start, { capture: true });
}

const TONES = {
  // Two rising notes: welcome.
  ok: [
    { f: 880, at: 0, d: 0.12, type: 'sine' },
    { f: 1320, at: 0.14, d: 0.18, type: 'sine' },
  ],
  // Two equal middle notes: look again.
  warn: [
    { f: 620, at: 0, d: 0.15, type: 'triangle' },
    { f: 620, at: 0.22, d: 0.15, type: 'triangle' },
  ],
  // One low buzz: stop.
  bad: [{ f: 196, at: 0, d: 0.5, type: 'square' }],
};

const PATTERNS = { ok: [90], warn: [80, 80, 80], bad: [300, 120, 300] };

function beep(kind) {
  if (!audio || audio.state !== 'running') return;
  const now = audio.currentTime;
  for (const tone of TONES[kind]) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = tone.type;
    osc.frequency.value = tone.f;
    gain.gain.setValueAtTime(0.0001, now + tone.at);
    gain.gain.exponentialRampToValueAtTime(kind === 'bad' ? 0.12 : 0.25, now + tone.at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + tone.at + tone.d);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + tone.at);
    osc.stop(now + tone.at + tone.d + 0.02);
  }
}

// kind: 'ok' (green), 'warn' (amber) or 'bad' (red).
export function signal(kind, { sound = true, vibrate = true } = {}) {
  if (sound) {
    try {
      beep(kind);
    } catch {
      // No sound on this phone: the card still shows.
    }
  }
  if (vibrate && navigator.vibrate) {
    try {
      navigator.vibrate(PATTERNS[kind]);
    } catch {
      // Some browsers refuse vibration without a recent tap.
    }
  }
}
