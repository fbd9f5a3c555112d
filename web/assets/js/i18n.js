// The page language (English or French) and the words of the public pages in both.
const STORAGE_KEY = 'ensemble.lang';
export const LANGUAGES = ['en', 'fr'];

const messages = {
  en: {
    'site.name': 'IEHP-CAN Events',
    'site.tagline': 'Events for internationally educated health professionals in Canada',
    'site.skip': 'Skip to main content',
    'site.nav': 'Main',
    'site.nav.upcoming': 'Upcoming events',
    'site.nav.past': 'Past events',
    'site.footer.programme':
      'Internationally Educated Healthcare Professionals in Canada (IEHP-CAN): knowledge exchange, training, mentoring and networking for IEHPs, with a focus on refugees.',
    'site.footer.privacy':
      'Your registration is used only to organize the event you chose. You can download or erase your data at any time from your registration page.',
    'site.footer.organizers': 'Organizer sign-in',
    'lang.switch': 'Français',
    'lang.switch.label': 'Afficher cette page en français',

    'common.loading': 'Loading…',
    'common.retry': 'Try again',
    'common.error.load': 'We could not load this page. Check your connection and try again.',
    'common.error.network': 'We could not reach the server. Check your connection and try again.',
    'common.error.server': 'Something went wrong on our side. Nothing was lost; please try again.',
    'common.error.rate': 'Too many attempts from your connection. Please wait {seconds} seconds and try again.',
    'common.required': '(required)',
    'common.optional': '(optional)',
    'common.cancel': 'Cancel',
    'common.new_window': '(opens a new site)',

    'format.in_person': 'In person',
    'format.online': 'Online',
    'format.hybrid': 'Hybrid',
    'format.hybrid.long': 'Hybrid: in person and online',
    'mode.in_person': 'In person',
    'mode.online': 'Online',
    'mode.in_person.adj': 'in-person',
    'mode.online.adj': 'online',
    'mode.in_person.adv': 'in person',
    'mode.online.adv': 'online',
    'status.draft': 'Draft',
    'status.published': 'Published',
    'status.cancelled': 'Cancelled',

    'seats.left.one': '1 seat left',
    'seats.left.other': '{n} seats left',
    'seats.full': 'Full',
    'seats.full.waitlist': 'Full: waitlist open',

    'time.your_zone': 'Your time',
    'time.event_zone': 'Event time',

    'list.title': 'Upcoming events',
    'list.intro':
      'Summits, hybrid seminars, job fairs and webinars for internationally educated health professionals (IEHPs) preparing to practise in Canada. All events are free.',
    'list.empty': 'There are no upcoming events right now.',
    'list.empty.past': 'Watch the recordings of previous events',
    'list.count.one': '1 upcoming event',
    'list.count.other': '{n} upcoming events',
    'list.cancelled': 'This event was cancelled.',

    'past.title': 'Past events and recordings',
    'past.intro':
      'Previous summits, webinars and symposia of the programme. Where a recording exists, you can watch it again.',
    'past.empty': 'No past events yet.',
    'past.count.one': '1 past event',
    'past.count.other': '{n} past events',
    'past.recording': 'Watch the recording',
    'past.no_recording': 'No recording was shared for this event.',

    'event.back': 'All upcoming events',
    'event.facts': 'Key information',
    'event.when': 'Date and time',
    'event.where': 'Location',
    'event.format': 'Format',
    'event.online_only': 'Online (the link is sent to registered participants)',
    'event.map': 'Open in OpenStreetMap',
    'event.seats': 'Places',
    'event.register_now': 'Register now',
    'event.about': 'About this event',
    'event.agenda': 'Agenda',
    'event.room': 'Room: {room}',
    'event.with': 'With {names}',
    'event.speakers': 'Speakers',
    'event.partners': 'Hosts and partners',
    'event.role.host': 'Hosted by',
    'event.role.partner': 'In partnership with',
    'event.role.collaborator': 'In collaboration with',
    'event.role.sponsor': 'Sponsored by',
    'event.not_found': 'We could not find this event. It may have moved or is not published yet.',
    'event.cancelled': 'This event was cancelled. Registration is closed.',
    'event.over': 'This event is over.',
    'event.recording': 'Watch the recording',
    'event.reg.closed': 'Registration is closed.',
    'event.reg.not_yet': 'Registration opens {when}.',
    'event.reg.draft': 'This event is a draft: only organizers can see it, and nobody can register yet.',
    'event.reg.closes': 'Registration closes {when}.',

    'form.title': 'Registration',
    'form.intro': 'Registration is free. Fields marked (required) must be filled in.',
    'form.name': 'Full name',
    'form.email': 'Email address',
    'form.email.hint': 'We send your confirmation, ticket and reminders to this address.',
    'form.mode': 'How will you attend?',
    'form.mode.option': '{mode} ({seats})',
    'form.questions': 'A few questions',
    'form.select.placeholder': 'Choose…',
    'form.yes': 'Yes',
    'form.language': 'Language for emails',
    'form.consent':
      'I agree that the organizers keep my name, email address and answers to run this event and to contact me about it. I can download or erase my data at any time.',
    'form.submit': 'Register',
    'form.submitting': 'Registering…',
    'form.errors.one': 'There is 1 problem with the form.',
    'form.errors.other': 'There are {n} problems with the form.',
    'form.full.title': 'No {mode} seat is left',
    'form.full.other': 'Register {mode} instead ({seats})',
    'form.full.waitlist': 'Join the {mode} waitlist',
    'form.full.waitlist.hint': 'If a seat frees up, you get it automatically and we email you.',
    'form.full.none': 'Sorry, this event has no seat left.',
    'form.already': 'This email address is already registered for this event. Check your inbox for the confirmation email: it has the link to manage your registration.',
    'form.rate': 'Too many registrations from your connection. Please wait {seconds} seconds and try again.',

    'err.name.required': 'Enter your full name.',
    'err.email.required': 'Enter your email address.',
    'err.email.invalid': 'Enter a valid email address, like name@example.org.',
    'err.mode.required': 'Choose how you will attend.',
    'err.consent': 'You need to agree so that we can register you.',
    'err.answer.required': 'Answer this question.',
    'err.answer.accept': 'You need to tick this box.',
    'err.answer.invalid': 'Choose one of the options.',
    'err.too_long': 'This text is too long.',
    'err.characters': 'This text contains characters that are not allowed.',
    'err.event.closed': 'Registration is closed.',
    'err.event.cancelled': 'This event was cancelled.',
    'err.event.over': 'This event is over.',
    'err.event.not_yet': 'Registration has not opened yet.',

    'manage.title': 'Your registration',
    'manage.new.confirmed': 'You are registered!',
    'manage.new.confirmed.text': 'We sent a confirmation to {email}. Keep this page: it is your personal link to your ticket and your registration.',
    'manage.new.waitlisted': 'You are on the waitlist.',
    'manage.new.waitlisted.text': 'You are number {position} on the {mode} waitlist. If a seat frees up, you get it automatically and we email {email}. Keep this page: it is your personal link to your registration.',
    'manage.details': 'Registration details',
    'manage.status': 'Status',
    'manage.status.confirmed': 'Confirmed: {mode}',
    'manage.status.waitlisted': 'On the {mode} waitlist: number {position}',
    'manage.status.waitlisted.nopos': 'On the {mode} waitlist',
    'manage.status.cancelled': 'Cancelled',
    'manage.name': 'Name',
    'manage.email': 'Email',
    'manage.language': 'Email language',
    'manage.ticket': 'Your ticket',
    'manage.ticket.text': 'Show this QR code at the door, on your phone or printed. The code below identifies your ticket.',
    'manage.ticket.alt': 'QR code of your ticket',
    'manage.ticket.png': 'Download the ticket (PNG image)',
    'manage.checked_in': 'Checked in at {time}.',
    'manage.online': 'Joining online',
    'manage.online.link': 'Your personal join link',
    'manage.online.passcode': 'Passcode',
    'manage.online.pending': 'Your personal join link will appear here, and we will email it to you before the event.',
    'manage.online.private': 'This link is for you only: please do not share it.',
    'manage.online.organizers': 'The organizers will send you the link to join before the event.',
    'manage.calendar': 'Add to my calendar (.ics)',
    'manage.event': 'The event',
    'manage.event.page': 'Event page',
    'manage.changes': 'Change your registration',
    'manage.switch.to': 'Attend {mode} instead ({seats})',
    'manage.switch.to.full': 'Attend {mode} instead',
    'manage.switch.done': 'Done: you now attend {mode}.',
    'manage.switch.done.waitlisted': 'Done: you are now on the {mode} waitlist.',
    'manage.switch.full': 'No {mode} seat is left, so nothing changed: you keep your current place.',
    'manage.cancel': 'Cancel my registration',
    'manage.leave_waitlist': 'Leave the waitlist',
    'manage.cancel.confirm.title': 'Cancel your registration?',
    'manage.cancel.confirm.text': 'Your place goes to the next person on the waitlist. You can register again later if places are left.',
    'manage.cancel.confirm.yes': 'Yes, cancel my registration',
    'manage.cancel.confirm.no': 'No, keep it',
    'manage.cancel.done': 'Your registration is cancelled. We sent a confirmation by email.',
    'manage.cancelled.text': 'This registration is cancelled. You can register again from the event page if places are left.',
    'manage.closed': 'This event is no longer open for changes.',
    'manage.data': 'Your data',
    'manage.data.text': 'We keep your name, email address, language, answers and ticket for this event only.',
    'manage.data.download': 'Download my data (JSON)',
    'manage.data.erase': 'Erase my data',
    'manage.erase.confirm.title': 'Erase your data?',
    'manage.erase.confirm.text': 'Your registration is cancelled and your name, email address and answers are deleted. This cannot be undone, and this page will stop working.',
    'manage.erase.confirm.yes': 'Yes, erase my data',
    'manage.erase.confirm.no': 'No, keep it',
    'manage.erased': 'Your data was erased. Your registration is cancelled and this link no longer works.',
    'manage.not_found': 'We could not find this registration. The link may be incomplete, or the data was erased.',
    'manage.answers': 'Your answers',

    'notfound.title': 'Page not found',
    'notfound.text': 'The page you asked for does not exist or has moved.',
    'notfound.home': 'See upcoming events',
  },
  fr: {
    'site.name': 'Événements IEHP-CAN',
    'site.tagline': 'Événements pour les professionnels de la santé formés à l’étranger au Canada',
    'site.skip': 'Aller au contenu principal',
    'site.nav': 'Menu principal',
    'site.nav.upcoming': 'Événements à venir',
    'site.nav.past': 'Événements passés',
    'site.footer.programme':
      'Professionnels de la santé formés à l’étranger au Canada (IEHP-CAN) : échange de connaissances, formation, mentorat et réseautage pour les PSFE, en particulier les personnes réfugiées.',
    'site.footer.privacy':
      'Votre inscription sert uniquement à organiser l’événement choisi. Vous pouvez télécharger ou effacer vos données à tout moment depuis la page de votre inscription.',
    'site.footer.organizers': 'Connexion des organisateurs',
    'lang.switch': 'English',
    'lang.switch.label': 'Show this page in English',

    'common.loading': 'Chargement…',
    'common.retry': 'Réessayer',
    'common.error.load': 'Impossible de charger cette page. Vérifiez votre connexion et réessayez.',
    'common.error.network': 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
    'common.error.server': 'Un problème est survenu de notre côté. Rien n’a été perdu; veuillez réessayer.',
    'common.error.rate': 'Trop de tentatives depuis votre connexion. Attendez {seconds} secondes, puis réessayez.',
    'common.required': '(obligatoire)',
    'common.optional': '(facultatif)',
    'common.cancel': 'Annuler',
    'common.new_window': '(ouvre un autre site)',

    'format.in_person': 'En personne',
    'format.online': 'En ligne',
    'format.hybrid': 'Hybride',
    'format.hybrid.long': 'Hybride : en personne et en ligne',
    'mode.in_person': 'En personne',
    'mode.online': 'En ligne',
    'mode.in_person.adj': 'en personne',
    'mode.online.adj': 'en ligne',
    'mode.in_person.adv': 'en personne',
    'mode.online.adv': 'en ligne',
    'status.draft': 'Brouillon',
    'status.published': 'Publié',
    'status.cancelled': 'Annulé',

    'seats.left.one': '1 place restante',
    'seats.left.other': '{n} places restantes',
    'seats.full': 'Complet',
    'seats.full.waitlist': 'Complet : liste d’attente ouverte',

    'time.your_zone': 'Votre heure',
    'time.event_zone': 'Heure de l’événement',

    'list.title': 'Événements à venir',
    'list.intro':
      'Sommets, séminaires hybrides, salons de l’emploi et webinaires pour les professionnels de la santé formés à l’étranger (PSFE) qui se préparent à exercer au Canada. Tous les événements sont gratuits.',
    'list.empty': 'Aucun événement à venir pour le moment.',
    'list.empty.past': 'Regarder les enregistrements des événements passés',
    'list.count.one': '1 événement à venir',
    'list.count.other': '{n} événements à venir',
    'list.cancelled': 'Cet événement a été annulé.',

    'past.title': 'Événements passés et enregistrements',
    'past.intro':
      'Les sommets, webinaires et symposiums précédents du programme. Lorsqu’un enregistrement existe, vous pouvez le regarder de nouveau.',
    'past.empty': 'Aucun événement passé pour le moment.',
    'past.count.one': '1 événement passé',
    'past.count.other': '{n} événements passés',
    'past.recording': 'Regarder l’enregistrement',
    'past.no_recording': 'Aucun enregistrement n’a été partagé pour cet événement.',

    'event.back': 'Tous les événements à venir',
    'event.facts': 'Informations clés',
    'event.when': 'Date et heure',
    'event.where': 'Lieu',
    'event.format': 'Format',
    'event.online_only': 'En ligne (le lien est envoyé aux personnes inscrites)',
    'event.map': 'Ouvrir dans OpenStreetMap',
    'event.seats': 'Places',
    'event.register_now': 'S’inscrire maintenant',
    'event.about': 'À propos de cet événement',
    'event.agenda': 'Programme',
    'event.room': 'Salle : {room}',
    'event.with': 'Avec {names}',
    'event.speakers': 'Conférenciers et conférencières',
    'event.partners': 'Hôtes et partenaires',
    'event.role.host': 'Organisé par',
    'event.role.partner': 'En partenariat avec',
    'event.role.collaborator': 'En collaboration avec',
    'event.role.sponsor': 'Commandité par',
    'event.not_found': 'Événement introuvable. Il a peut-être changé d’adresse ou n’est pas encore publié.',
    'event.cancelled': 'Cet événement a été annulé. Les inscriptions sont fermées.',
    'event.over': 'Cet événement est terminé.',
    'event.recording': 'Regarder l’enregistrement',
    'event.reg.closed': 'Les inscriptions sont fermées.',
    'event.reg.not_yet': 'Les inscriptions ouvrent le {when}.',
    'event.reg.draft': 'Cet événement est un brouillon : seuls les organisateurs le voient et personne ne peut encore s’inscrire.',
    'event.reg.closes': 'Les inscriptions ferment le {when}.',

    'form.title': 'Inscription',
    'form.intro': 'L’inscription est gratuite. Les champs marqués (obligatoire) doivent être remplis.',
    'form.name': 'Nom complet',
    'form.email': 'Adresse courriel',
    'form.email.hint': 'Nous envoyons votre confirmation, votre billet et les rappels à cette adresse.',
    'form.mode': 'Comment participerez-vous?',
    'form.mode.option': '{mode} ({seats})',
    'form.questions': 'Quelques questions',
    'form.select.placeholder': 'Choisir…',
    'form.yes': 'Oui',
    'form.language': 'Langue des courriels',
    'form.consent':
      'J’accepte que les organisateurs conservent mon nom, mon adresse courriel et mes réponses pour organiser cet événement et me contacter à son sujet. Je peux télécharger ou effacer mes données à tout moment.',
    'form.submit': 'M’inscrire',
    'form.submitting': 'Inscription en cours…',
    'form.errors.one': 'Le formulaire contient 1 erreur.',
    'form.errors.other': 'Le formulaire contient {n} erreurs.',
    'form.full.title': 'Il ne reste plus de place {mode}',
    'form.full.other': 'M’inscrire plutôt {mode} ({seats})',
    'form.full.waitlist': 'M’inscrire sur la liste d’attente {mode}',
    'form.full.waitlist.hint': 'Si une place se libère, elle vous est attribuée automatiquement et nous vous écrivons.',
    'form.full.none': 'Désolé, il ne reste plus de place pour cet événement.',
    'form.already': 'Cette adresse courriel est déjà inscrite à cet événement. Consultez le courriel de confirmation : il contient le lien pour gérer votre inscription.',
    'form.rate': 'Trop d’inscriptions depuis votre connexion. Attendez {seconds} secondes, puis réessayez.',

    'err.name.required': 'Entrez votre nom complet.',
    'err.email.required': 'Entrez votre adresse courriel.',
    'err.email.invalid': 'Entrez une adresse courriel valide, par exemple nom@exemple.org.',
    'err.mode.required': 'Choisissez votre mode de participation.',
    'err.consent': 'Votre accord est nécessaire pour vous inscrire.',
    'err.answer.required': 'Répondez à cette question.',
    'err.answer.accept': 'Vous devez cocher cette case.',
    'err.answer.invalid': 'Choisissez l’une des options.',
    'err.too_long': 'Ce texte est trop long.',
    'err.characters': 'Ce texte contient des caractères non permis.',
    'err.event.closed': 'Les inscriptions sont fermées.',
    'err.event.cancelled': 'Cet événement a été annulé.',
    'err.event.over': 'Cet événement est terminé.',
    'err.event.not_yet': 'Les inscriptions ne sont pas encore ouvertes.',

    'manage.title': 'Votre inscription',
    'manage.new.confirmed': 'Vous êtes inscrit·e!',
    'manage.new.confirmed.text': 'Nous avons envoyé une confirmation à {email}. Conservez cette page : c’est votre lien personnel vers votre billet et votre inscription.',
    'manage.new.waitlisted': 'Vous êtes sur la liste d’attente.',
    'manage.new.waitlisted.text': 'Vous êtes au rang {position} de la liste d’attente {mode}. Si une place se libère, elle vous est attribuée automatiquement et nous écrivons à {email}. Conservez cette page : c’est votre lien personnel vers votre inscription.',
    'manage.details': 'Détails de l’inscription',
    'manage.status': 'Statut',
    'manage.status.confirmed': 'Confirmée : {mode}',
    'manage.status.waitlisted': 'Liste d’attente {mode} : rang {position}',
    'manage.status.waitlisted.nopos': 'Sur la liste d’attente {mode}',
    'manage.status.cancelled': 'Annulée',
    'manage.name': 'Nom',
    'manage.email': 'Courriel',
    'manage.language': 'Langue des courriels',
    'manage.ticket': 'Votre billet',
    'manage.ticket.text': 'Présentez ce code QR à l’entrée, sur votre téléphone ou imprimé. Le code ci-dessous identifie votre billet.',
    'manage.ticket.alt': 'Code QR de votre billet',
    'manage.ticket.png': 'Télécharger le billet (image PNG)',
    'manage.checked_in': 'Arrivée enregistrée à {time}.',
    'manage.online': 'Participer en ligne',
    'manage.online.link': 'Votre lien personnel',
    'manage.online.passcode': 'Code d’accès',
    'manage.online.pending': 'Votre lien personnel apparaîtra ici, et nous vous l’enverrons par courriel avant l’événement.',
    'manage.online.private': 'Ce lien est personnel : merci de ne pas le partager.',
    'manage.online.organizers': 'Les organisateurs vous enverront le lien de connexion avant l’événement.',
    'manage.calendar': 'Ajouter à mon agenda (.ics)',
    'manage.event': 'L’événement',
    'manage.event.page': 'Page de l’événement',
    'manage.changes': 'Modifier votre inscription',
    'manage.switch.to': 'Participer plutôt {mode} ({seats})',
    'manage.switch.to.full': 'Participer plutôt {mode}',
    'manage.switch.done': 'C’est fait : vous participez maintenant {mode}.',
    'manage.switch.done.waitlisted': 'C’est fait : vous êtes maintenant sur la liste d’attente {mode}.',
    'manage.switch.full': 'Il ne reste plus de place {mode}; rien n’a changé et vous gardez votre place actuelle.',
    'manage.cancel': 'Annuler mon inscription',
    'manage.leave_waitlist': 'Quitter la liste d’attente',
    'manage.cancel.confirm.title': 'Annuler votre inscription?',
    'manage.cancel.confirm.text': 'Votre place sera attribuée à la prochaine personne sur la liste d’attente. Vous pourrez vous réinscrire plus tard s’il reste des places.',
    'manage.cancel.confirm.yes': 'Oui, annuler mon inscription',
    'manage.cancel.confirm.no': 'Non, la garder',
    'manage.cancel.done': 'Votre inscription est annulée. Nous vous avons envoyé une confirmation par courriel.',
    'manage.cancelled.text': 'Cette inscription est annulée. Vous pouvez vous réinscrire depuis la page de l’événement s’il reste des places.',
    'manage.closed': 'Cet événement n’accepte plus de modifications.',
    'manage.data': 'Vos données',
    'manage.data.text': 'Nous conservons votre nom, votre adresse courriel, votre langue, vos réponses et votre billet pour cet événement seulement.',
    'manage.data.download': 'Télécharger mes données (JSON)',
    'manage.data.erase': 'Effacer mes données',
    'manage.erase.confirm.title': 'Effacer vos données?',
    'manage.erase.confirm.text': 'Votre inscription sera annulée et vos nom, adresse courriel et réponses seront supprimés. C’est définitif, et cette page cessera de fonctionner.',
    'manage.erase.confirm.yes': 'Oui, effacer mes données',
    'manage.erase.confirm.no': 'Non, les garder',
    'manage.erased': 'Vos données ont été effacées. Votre inscription est annulée et ce lien ne fonctionne plus.',
    'manage.not_found': 'Inscription introuvable. Le lien est peut-être incomplet, ou les données ont été effacées.',
    'manage.answers': 'Vos réponses',

    'notfound.title': 'Page introuvable',
    'notfound.text': 'La page demandée n’existe pas ou a changé d’adresse.',
    'notfound.home': 'Voir les événements à venir',
  },
};

let current = detect();

function detect() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (LANGUAGES.includes(fromUrl)) {
    remember(fromUrl);
    return fromUrl;
  }
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch {
    // Storage can be blocked; the browser's language decides then.
  }
  return (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function remember(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered when storage is blocked; the page still switches.
  }
}

export function lang() {
  return current;
}

// The colon that follows a label: French puts a non-breaking space before it.
export function colon(l = current) {
  return l === 'fr' ? '\u00a0: ' : ': ';
}

export function otherLang(l = current) {
  return l === 'fr' ? 'en' : 'fr';
}

// The locale used for dates and numbers: Canadian English or Canadian French.
export function locale(l = current) {
  return l === 'fr' ? 'fr-CA' : 'en-CA';
}

export function setLang(next) {
  if (!LANGUAGES.includes(next)) return;
  current = next;
  remember(next);
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', next);
    history.replaceState(history.state, '', url);
  }
  document.documentElement.lang = next;
}

// Adds words (for example the organizer app's) to the dictionaries.
export function extend(more) {
  for (const l of LANGUAGES) Object.assign(messages[l], more[l] || {});
}

export function t(key, vars = {}) {
  const text = messages[current][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// Picks key.one or key.other by French or English plural rules.
export function tn(key, n, vars = {}) {
  const one = current === 'fr' ? n < 2 : n === 1;
  return t(`${key}.${one ? 'one' : 'other'}`, { n, ...vars });
}

// The text of a bilingual {en, fr} value in the page language, else the other one; with the language it is in.
export function pick(bilingual, l = current) {
  if (bilingual == null) return { text: '', lang: l };
  if (typeof bilingual === 'string') return { text: bilingual, lang: l };
  if (bilingual[l]) return { text: bilingual[l], lang: l };
  const other = otherLang(l);
  if (bilingual[other]) return { text: bilingual[other], lang: other };
  return { text: '', lang: l };
}

// Fills every element marked data-i18n="key" (text) and data-i18n-attr="attr:key;attr:key".
export function translateDocument(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}
