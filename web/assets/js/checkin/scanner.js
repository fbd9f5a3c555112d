// Continuous QR scanning from the phone's camera with the qr-scanner package (served under /vendor/).
// It uses the browser's BarcodeDetector where there is one and its own decoder worker otherwise.
const LIBRARY = '/vendor/qr-scanner/qr-scanner.min.js';

let library = null;

function load() {
  if (!library) library = import(LIBRARY).then((m) => m.default);
  return library;
}

// Why the camera could not start: 'denied', 'none' or 'unsupported'.
export class CameraError extends Error {
  constructor(reason, cause) {
    super(reason);
    this.reason = reason;
    this.cause = cause;
  }
}

function reasonOf(err) {
  const name = err && err.name;
  const text = String((err && err.message) || err || '');
  if (name === 'NotAllowedError' || name === 'SecurityError' || /denied|not allowed|permission/i.test(text)) return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || /no camera|not found|requested device/i.test(text)) return 'none';
  return 'unsupported';
}

export class Scanner {
  // onCode(text) is called for every decoded code; the caller ignores repeats.
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.qr = null;
  }

  get active() {
    return Boolean(this.qr);
  }

  async start() {
    if (this.qr) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new CameraError('unsupported');
    let QrScanner;
    try {
      QrScanner = await load();
    } catch (err) {
      throw new CameraError('unsupported', err);
    }
    // The decoder must work before the camera starts: a blank image gives "no QR code" from a working
    // decoder, anything else (a worker the page's rules refused, no decoder at all) means no scanning here.
    let engine = null;
    try {
      engine = await QrScanner.createQrEngine();
      const blank = document.createElement('canvas');
      blank.width = 16;
      blank.height = 16;
      await QrScanner.scanImage(blank, { qrEngine: engine, returnDetailedScanResult: true });
    } catch (err) {
      if (!String(err).includes(QrScanner.NO_QR_CODE_FOUND)) throw new CameraError('unsupported', err);
    } finally {
      if (engine instanceof Worker) engine.terminate();
    }
    let broken = 0;
    const qr = new QrScanner(this.video, (result) => this.onCode(result.data), {
      returnDetailedScanResult: true,
      preferredCamera: 'environment',
      maxScansPerSecond: 8,
      onDecodeError: (err) => {
        if (err === QrScanner.NO_QR_CODE_FOUND || String(err).includes(QrScanner.NO_QR_CODE_FOUND)) {
          broken = 0;
          return;
        }
        broken += 1;
        if (broken > 20 && this.onBroken) this.onBroken(new CameraError('unsupported', err));
      },
    });
    try {
      await qr.start();
    } catch (err) {
      qr.destroy();
      throw new CameraError(reasonOf(err), err);
    }
    this.qr = qr;
  }

  stop() {
    if (!this.qr) return;
    this.qr.destroy();
    this.qr = null;
    this.video.srcObject = null;
  }
}

// True when the page may use the camera without asking (the person allowed it before).
export async function cameraAllowed() {
  try {
    if (!navigator.permissions) return false;
    const status = await navigator.permissions.query({ name: 'camera' });
    return status.state === 'granted';
  } catch {
    return false;
  }
}
