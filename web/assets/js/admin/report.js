// The report of one event: the headline the programme reports, numbers per mode, registrations over time,
// and the answers to each question, as charts with the same numbers in tables.
import { api } from '../api.js';
import { extend, locale, pick, t, tn } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { modeName, shortDate } from '../format.js';
import { COLORS, drawChart, wrapLabel } from './charts.js';
import { dataTable, eventHeading, when } from './kit.js';

extend({
  en: {
    'report.title': 'Report',
    'report.back': 'Back to the event',
    'report.generated': 'Figures of {time}.',
    'report.headline': 'In short',
    'report.headline.both.one': '{in_person} participant in person and {online} online',
    'report.headline.both.other': '{in_person} participants in person and {online} online',
    'report.headline.in_person.one': '{in_person} participant in person',
    'report.headline.in_person.other': '{in_person} participants in person',
    'report.headline.online.one': '{online} participant online',
    'report.headline.online.other': '{online} participants online',
    'report.headline.before.both.one': '{in_person} registered in person and {online} online so far',
    'report.headline.before.both.other': '{in_person} registered in person and {online} online so far',
    'report.headline.before.in_person.one': '{in_person} registered in person so far',
    'report.headline.before.in_person.other': '{in_person} registered in person so far',
    'report.headline.before.online.one': '{online} registered online so far',
    'report.headline.before.online.other': '{online} registered online so far',
    'report.headline.of': 'Of {registered} confirmed registrations ({rate} attended).',
    'report.headline.online_note': 'Online attendance comes from Zoom; it is 0 when the event has no Zoom meeting.',
    'report.modes': 'By mode',
    'report.modes.table': 'Registrations and attendance by mode',
    'report.row.capacity': 'Places',
    'report.row.registered': 'Confirmed',
    'report.row.waitlisted': 'On the waitlist',
    'report.row.cancelled': 'Cancelled',
    'report.row.attended': 'Attended',
    'report.row.no_shows': 'Did not come',
    'report.row.attendance_rate': 'Attendance rate',
    'report.row.checked_in_at_door': 'Online registrants checked in at the door',
    'report.col.measure': 'Measure',
    'report.col.total': 'Total',
    'report.not_yet': 'after the event starts',
    'report.time': 'Registrations over time',
    'report.time.none': 'No registrations yet.',
    'report.time.summary': 'From {first} to {last}: {total} registrations; the busiest day was {busiest} with {most}.',
    'report.time.summary.day': 'All {total} registrations came on {first}.',
    'report.time.chart': 'Bar chart of registrations per day, by mode. The numbers are in the table “Registrations per day”.',
    'report.time.table': 'Registrations per day',
    'report.time.show': 'Show the numbers per day',
    'report.col.date': 'Day',
    'report.questions': 'Answers to the questions',
    'report.questions.none': 'This event asks no question.',
    'report.answered.one': '{n} person answered.',
    'report.answered.other': '{n} people answered.',
    'report.text_answers': 'Written answers are in the CSV export of the registrations.',
    'report.question.chart': 'Bar chart of the answers to “{label}”, by mode. The numbers are in the table below.',
    'report.question.table': 'Answers to “{label}”',
    'report.col.answer': 'Answer',
    'report.yes': 'Yes',
    'report.no': 'No',
    'report.chart.failed': 'The chart could not be drawn; the table has the same numbers.',
  },
  fr: {
    'report.title': 'Bilan',
    'report.back': 'Retour à l’événement',
    'report.generated': 'Chiffres du {time}.',
    'report.headline': 'En bref',
    'report.headline.both.one': '{in_person} participant·e en personne et {online} en ligne',
    'report.headline.both.other': '{in_person} participants en personne et {online} en ligne',
    'report.headline.in_person.one': '{in_person} participant·e en personne',
    'report.headline.in_person.other': '{in_person} participants en personne',
    'report.headline.online.one': '{online} participant·e en ligne',
    'report.headline.online.other': '{online} participants en ligne',
    'report.headline.before.both.one': '{in_person} inscription en personne et {online} en ligne jusqu’ici',
    'report.headline.before.both.other': '{in_person} inscriptions en personne et {online} en ligne jusqu’ici',
    'report.headline.before.in_person.one': '{in_person} inscription en personne jusqu’ici',
    'report.headline.before.in_person.other': '{in_person} inscriptions en personne jusqu’ici',
    'report.headline.before.online.one': '{online} inscription en ligne jusqu’ici',
    'report.headline.before.online.other': '{online} inscriptions en ligne jusqu’ici',
    'report.headline.of': 'Sur {registered} inscriptions confirmées ({rate} de présence).',
    'report.headline.online_note': 'La présence en ligne vient de Zoom; elle est de 0 si l’événement n’a pas de réunion Zoom.',
    'report.modes': 'Par mode',
    'report.modes.table': 'Inscriptions et présence par mode',
    'report.row.capacity': 'Places',
    'report.row.registered': 'Confirmées',
    'report.row.waitlisted': 'Sur la liste d’attente',
    'report.row.cancelled': 'Annulées',
    'report.row.attended': 'Présentes',
    'report.row.no_shows': 'Absentes',
    'report.row.attendance_rate': 'Taux de présence',
    'report.row.checked_in_at_door': 'Personnes inscrites en ligne venues sur place',
    'report.col.measure': 'Mesure',
    'report.col.total': 'Total',
    'report.not_yet': 'après le début',
    'report.time': 'Inscriptions dans le temps',
    'report.time.none': 'Aucune inscription pour le moment.',
    'report.time.summary': 'Du {first} au {last} : {total} inscriptions; le jour le plus chargé a été le {busiest}, avec {most}.',
    'report.time.summary.day': 'Les {total} inscriptions sont toutes arrivées le {first}.',
    'report.time.chart': 'Diagramme à barres des inscriptions par jour, par mode. Les chiffres sont dans le tableau « Inscriptions par jour ».',
    'report.time.table': 'Inscriptions par jour',
    'report.time.show': 'Afficher les chiffres par jour',
    'report.col.date': 'Jour',
    'report.questions': 'Réponses aux questions',
    'report.questions.none': 'Cet événement ne pose aucune question.',
    'report.answered.one': '{n} personne a répondu.',
    'report.answered.other': '{n} personnes ont répondu.',
    'report.text_answers': 'Les réponses écrites sont dans l’export CSV des inscriptions.',
    'report.question.chart': 'Diagramme à barres des réponses à « {label} », par mode. Les chiffres sont dans le tableau ci-dessous.',
    'report.question.table': 'Réponses à « {label} »',
    'report.col.answer': 'Réponse',
    'report.yes': 'Oui',
    'report.no': 'Non',
    'report.chart.failed': 'Le diagramme n’a pas pu être dessiné; le tableau contient les mêmes chiffres.',
  },
});

function num(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

function percent(rate) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}

function day(date) {
  return shortDate(new Date(`${date}T12:00:00Z`), 'UTC');
}

function modesIn(report) {
  return ['in_person', 'online'].filter((m) => report[m]);
}

function headline(report, started) {
  const modes = modesIn(report);
  const which = modes.length === 2 ? 'both' : modes[0];
  const count = (m) => (report[m] ? (started ? report[m].attended : report[m].registered) : 0);
  const values = { in_person: num(count('in_person')), online: num(count('online')) };
  // The sentence agrees in number with its first count.
  const first = count(modes[0]);
  const registered = modes.reduce((sum, m) => sum + report[m].registered, 0);
  const attended = report.attended_total;
  return h(
    'section',
    { class: 'card report-headline', 'aria-labelledby': 'headline-title' },
    h('h2', { id: 'headline-title' }, t('report.headline')),
    h('p', { class: 'report-big', id: 'report-headline' }, tn(started ? `report.headline.${which}` : `report.headline.before.${which}`, first, values)),
    started && registered > 0 ? h('p', {}, t('report.headline.of', { registered: num(registered), rate: percent(attended / registered) })) : null,
    started && report.online ? h('p', { class: 'hint' }, t('report.headline.online_note')) : null,
  );
}

function modesTable(report) {
  const modes = modesIn(report);
  const rows = ['capacity', 'registered', 'waitlisted', 'cancelled', 'attended', 'no_shows', 'attendance_rate', 'checked_in_at_door'];
  const cell = (m, key) => {
    const v = report[m][key];
    if (v === undefined) return '—';
    if (v === null) return t('report.not_yet');
    return key === 'attendance_rate' ? percent(v) : num(v);
  };
  const total = (key) => {
    if (key === 'attendance_rate' || key === 'checked_in_at_door') return '';
    const values = modes.map((m) => report[m][key]);
    if (values.some((v) => v === null || v === undefined)) return values.every((v) => v === null) ? t('report.not_yet') : '';
    return num(values.reduce((a, b) => a + b, 0));
  };
  return dataTable({
    id: 'report-modes',
    caption: t('report.modes.table'),
    head: [t('report.col.measure'), ...modes.map(modeName), modes.length > 1 ? t('report.col.total') : null].filter(Boolean),
    rows: rows
      .filter((key) => modes.some((m) => report[m][key] !== undefined))
      .map((key) =>
        h(
          'tr',
          { dataset: { measure: key } },
          h('th', { scope: 'row' }, t(`report.row.${key}`)),
          modes.map((m) => h('td', { class: 'num' }, cell(m, key))),
          modes.length > 1 ? h('td', { class: 'num' }, total(key)) : null,
        ),
      ),
  });
}

function chartBox(id, label) {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': label });
  return { canvas, box: h('div', { class: 'chart-box' }, canvas) };
}

function datasetsFor(modes, values) {
  return modes.map((m) => ({ label: modeName(m), data: values(m), backgroundColor: COLORS[m], borderColor: COLORS[m], maxBarThickness: 56 }));
}

function overTime(report, charts) {
  const days = report.registrations_over_time || [];
  const modes = modesIn(report);
  if (!days.length) return [h('p', { class: 'muted' }, t('report.time.none'))];
  const totals = days.map((d) => modes.reduce((sum, m) => sum + (d[m] || 0), 0));
  const most = Math.max(...totals);
  const busiest = days[totals.indexOf(most)];
  const { canvas, box } = chartBox('chart-over-time', t('report.time.chart'));
  charts.push(() =>
    drawChart(canvas, {
      labels: days.map((d) => day(d.date)),
      datasets: datasetsFor(modes, (m) => days.map((d) => d[m] || 0)),
      stacked: true,
    }),
  );
  return [
    h(
      'p',
      { id: 'report-time-summary' },
      t(days.length === 1 ? 'report.time.summary.day' : 'report.time.summary', {
        first: day(days[0].date),
        last: day(days[days.length - 1].date),
        total: num(totals.reduce((a, b) => a + b, 0)),
        busiest: day(busiest.date),
        most: num(most),
      }),
    ),
    box,
    h(
      'details',
      { class: 'report-details' },
      h('summary', {}, t('report.time.show')),
      dataTable({
        id: 'report-days',
        caption: t('report.time.table'),
        head: [t('report.col.date'), ...modes.map(modeName), modes.length > 1 ? t('report.col.total') : null].filter(Boolean),
        rows: days.map((d, i) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, day(d.date)),
            modes.map((m) => h('td', { class: 'num' }, num(d[m] || 0))),
            modes.length > 1 ? h('td', { class: 'num' }, num(totals[i])) : null,
          ),
        ),
      }),
    ),
  ];
}

function optionLabel(q, o) {
  if (q.type === 'boolean') return { text: t(o.id === 'yes' ? 'report.yes' : 'report.no'), lang: document.documentElement.lang };
  return pick(o.label || o.id);
}

function question(q, i, report, charts) {
  const label = pick(q.label);
  const modes = modesIn(report);
  const headingId = `q-${i}-title`;
  const parts = [textIn('h3', label, { id: headingId }), h('p', { class: 'muted' }, tn('report.answered', q.answered))];
  if (!q.options.length) {
    parts.push(h('p', {}, t('report.text_answers')));
  } else {
    const { canvas, box } = chartBox(`chart-q-${i}`, t('report.question.chart', { label: label.text }));
    box.classList.add('chart-box-bars');
    box.style.setProperty('--bars', String(q.options.length));
    const labels = q.options.map((o) => wrapLabel(optionLabel(q, o).text));
    charts.push(() => drawChart(canvas, { labels, datasets: datasetsFor(modes, (m) => q.options.map((o) => o[m] || 0)), stacked: true, horizontal: true }));
    parts.push(
      box,
      dataTable({
        id: `report-q-${i}`,
        caption: t('report.question.table', { label: label.text }),
        head: [t('report.col.answer'), ...modes.map(modeName), modes.length > 1 ? t('report.col.total') : null].filter(Boolean),
        rows: q.options.map((o) => {
          const ol = optionLabel(q, o);
          return h(
            'tr',
            {},
            textIn('th', ol, { scope: 'row' }),
            modes.map((m) => h('td', { class: 'num' }, num(o[m] || 0))),
            modes.length > 1 ? h('td', { class: 'num' }, num(o.total)) : null,
          );
        }),
      }),
    );
  }
  return h('section', { class: 'card report-question', 'aria-labelledby': headingId }, parts);
}

export default {
  id: 'report',
  routes: ['/admin/events/:id/report'],
  title: () => t('report.title'),
  async render(main, params, ctx) {
    let report;
    try {
      report = await api(`/api/v1/events/${encodeURIComponent(params.id)}/report`);
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
      return;
    }
    const event = report.event;
    const title = pick(event.title);
    ctx.setTitle(`${t('report.title')}: ${title.text}`);
    const started = new Date(event.starts_at).getTime() <= Date.parse(report.generated_at);
    const charts = [];
    const questions = report.questions || [];
    replace(
      main,
      eventHeading(event, t('report.title'), title, t('report.back')),
      h('p', { class: 'muted', id: 'report-generated' }, t('report.generated', { time: when(report.generated_at) })),
      headline(report, started),
      h('section', { 'aria-labelledby': 'modes-title' }, h('h2', { id: 'modes-title' }, t('report.modes')), modesTable(report)),
      h('section', { class: 'card', 'aria-labelledby': 'time-title' }, h('h2', { id: 'time-title' }, t('report.time')), overTime(report, charts)),
      h(
        'section',
        { 'aria-labelledby': 'questions-title', class: 'report-questions' },
        h('h2', { id: 'questions-title' }, t('report.questions')),
        questions.length ? questions.map((q, i) => question(q, i, report, charts)) : h('p', { class: 'muted' }, t('report.questions.none')),
      ),
    );
    try {
      for (const draw of charts) await draw();
    } catch {
      for (const box of main.querySelectorAll('.chart-box')) box.replaceWith(h('p', { class: 'notice notice-warning' }, t('report.chart.failed')));
    }
  },
};
