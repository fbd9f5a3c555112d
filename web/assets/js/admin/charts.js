// Charts of the organizer reports, drawn by chart.js (npm, served under /vendor/). Its browser build is
// a classic script that defines window.Chart; the ES module build imports a bare package name that a
// browser cannot resolve without a bundler.
const SOURCE = '/vendor/chart.js/dist/chart.umd.min.js';

export const COLORS = { in_person: '#0b5e6b', online: '#b45309' };

let loading = null;

export function loadChart() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = SOURCE;
      script.onload = () => (window.Chart ? resolve(window.Chart) : reject(new Error('chart.js did not load')));
      script.onerror = () => {
        loading = null;
        script.remove();
        reject(new Error('chart.js did not load'));
      };
      document.head.append(script);
    });
  }
  return loading;
}

// Splits a long label into lines, so that a narrow screen shows it whole.
export function wrapLabel(text, width = 18) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > 1 ? lines : lines[0] || '';
}

// A bar (or line) chart on `canvas`; the canvas is an image whose words say where the numbers are.
export async function drawChart(canvas, { type = 'bar', labels, datasets, stacked = false, horizontal = false }) {
  const Chart = await loadChart();
  const existing = Chart.getChart(canvas);
  if (existing) existing.destroy();
  const font = { family: getComputedStyle(document.body).fontFamily, size: 13 };
  return new Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: {
        legend: { display: datasets.length > 1, labels: { font, color: '#1b2630' } },
        tooltip: { enabled: true },
      },
      scales: {
        x: { stacked, ticks: { font, color: '#4c5a66', precision: 0 }, grid: { display: horizontal } },
        y: { stacked, beginAtZero: true, ticks: { font, color: '#4c5a66', precision: 0 }, grid: { display: !horizontal } },
      },
    },
  });
}
