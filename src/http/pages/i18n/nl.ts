import type { Catalog } from './catalog.ts';

/** Dutch messages, in the formal "u" form Microsoft's Dutch sign-in pages use. */
export const nl: Catalog = {
  'layout.language': 'Taal',

  'form.errorSummaryTitle': 'Er is een probleem',
  'form.errorPrefix': 'Fout:',

  'signIn.title': 'Aanmelden',
  'signIn.usernameLabel': 'E-mailadres of gebruikersnaam',
  'signIn.next': 'Volgende',
  'signIn.passwordTitle': 'Wachtwoord invoeren',
  'signIn.passwordLabel': 'Wachtwoord',
  'signIn.submit': 'Aanmelden',
  'signIn.back': 'Terug',
  'signIn.forgotPassword': 'Ik ben mijn wachtwoord vergeten',
  'signIn.error.unknownUser': 'We kunnen geen account met die gebruikersnaam vinden.',
  'signIn.error.invalidCredentials': 'Uw account of wachtwoord is onjuist.',
  'signIn.error.locked': 'Uw account is vergrendeld. Probeer het later opnieuw.',
  'signIn.error.disabled': 'Uw account is uitgeschakeld. Neem contact op met uw beheerder.',
  'signIn.error.throttled': 'Te veel aanvragen. Probeer het over een minuut opnieuw.',
  'signIn.error.usernameRequired': 'Voer uw gebruikersnaam in.',
  'signIn.error.passwordRequired': 'Voer uw wachtwoord in.',

  'signedOut.title': 'U bent afgemeld',

  'myAccount.title': 'Mijn account',
  'myAccount.profile': 'Profiel',
  'myAccount.name': 'Naam',
  'myAccount.email': 'E-mail',
  'myAccount.username': 'Gebruikersnaam',
  'myAccount.jobTitle': 'Functie',
  'myAccount.department': 'Afdeling',
  'myAccount.office': 'Kantoor',
  'myAccount.organization': 'Organisatie',
  'myAccount.sessions': 'Sessies',
  'myAccount.signOutEverywhere': 'Overal afmelden',
  'myAccount.signOut': 'Afmelden',
  'myAccount.signedOutEverywhere': 'U bent bij alle sessies afgemeld',

  'error.title': 'Er is iets misgegaan',
  'error.goBack': 'Ga terug',
  'error.requestId': 'Aanvraag-ID: {id}',
  'error.badRequest': 'De aanvraag is ongeldig.',
  'error.unauthenticated': 'Meld u aan om door te gaan.',
  'error.forbidden': 'U hebt geen toestemming om dit te doen.',
  'error.notFound': 'De pagina die u zoekt bestaat niet of is verwijderd.',
  'error.throttled': 'Te veel aanvragen. Probeer het over een minuut opnieuw.',
  'error.internal': 'Er is een onverwachte fout opgetreden. Probeer het later opnieuw.',
  'error.csrf': 'Om veiligheidsredenen kon dit formulier niet worden verzonden. Ga terug, vernieuw de pagina en probeer het opnieuw.',
};
