/**
 * English messages: the reference catalog. Its keys define `MessageKey`, so every other catalog
 * must translate exactly these keys (a missing or extra key is a compile error), and its
 * `{placeholders}` define which parameters `t()` requires.
 *
 * Keys are `area.name`; add a message here first, then to every other catalog.
 */
export const en = {
  'layout.language': 'Language',

  'form.errorSummaryTitle': 'There is a problem',
  'form.errorPrefix': 'Error:',

  'signIn.title': 'Sign in',
  'signIn.usernameLabel': 'Email or username',
  'signIn.next': 'Next',
  'signIn.passwordTitle': 'Enter password',
  'signIn.passwordLabel': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.back': 'Back',
  'signIn.forgotPassword': 'Forgot my password',
  'signIn.error.unknownUser': "We couldn't find an account with that username.",
  'signIn.error.invalidCredentials': 'Your account or password is incorrect.',
  'signIn.error.locked': 'Your account is locked. Try again later.',
  'signIn.error.disabled': 'Your account has been disabled. Contact your administrator.',
  'signIn.error.throttled': 'Too many requests. Try again in a minute.',
  'signIn.error.usernameRequired': 'Please enter your username.',
  'signIn.error.passwordRequired': 'Please enter your password.',
  'signIn.error.unknownTenant': "We couldn't find an organization for that account. Check the name and try again.",
  'signIn.pickAccount': 'Pick an account',
  'signIn.continueAs': 'Continue as {name}',
  'signIn.useAnotherAccount': 'Use another account',

  'signedOut.title': 'You have signed out',

  'myAccount.title': 'My Account',
  'myAccount.profile': 'Profile',
  'myAccount.name': 'Name',
  'myAccount.email': 'Email',
  'myAccount.username': 'Username',
  'myAccount.jobTitle': 'Job title',
  'myAccount.department': 'Department',
  'myAccount.office': 'Office',
  'myAccount.organization': 'Organization',
  'myAccount.sessions': 'Sessions',
  'myAccount.signOutEverywhere': 'Sign out everywhere',
  'myAccount.signOut': 'Sign out',
  'myAccount.signedOutEverywhere': 'You have been signed out of all sessions',
  'myAccount.lead': 'Your profile in {organization}. Contact your administrator to change it.',
  'myAccount.notSet': 'Not set',
  'myAccount.sessionsLead': 'Signed in on a device or browser you no longer use? Sign out everywhere ends every session of your account: each browser and app will ask you to sign in again.',
  'myAccount.signedOutLead': 'You have signed out of My Account.',
  'myAccount.signedOutEverywhereLead': 'Every browser and app where you were signed in will ask you to sign in again.',
  'myAccount.signInAgain': 'Sign in again',
  'myAccount.error.signInFailed': "We couldn't sign you in to My Account. Try again.",

  'error.title': 'Something went wrong',
  'error.goBack': 'Go back',
  'error.requestId': 'Request ID: {id}',
  'error.badRequest': 'The request was not valid.',
  'error.unauthenticated': 'Sign in to continue.',
  'error.forbidden': "You don't have permission to do this.",
  'error.notFound': "The page you're looking for doesn't exist or has been removed.",
  'error.throttled': 'Too many requests. Try again in a minute.',
  'error.internal': 'An unexpected error occurred. Try again later.',
  'error.csrf': 'For your security, this form could not be sent. Go back, reload the page and try again.',
} as const satisfies Record<string, string>;
