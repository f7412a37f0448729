/**
 * The few pages oidc-provider itself renders (errors before a redirect is safe, the sign-out
 * confirmation). They come from inside oidc-provider's Koa context, outside the pages surface,
 * so they are small static documents with every value escaped.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function document(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function messagePage(title: string, message: string): string {
  return document(title, `<p>${escapeHtml(message)}</p>`);
}

/** `form` is oidc-provider's own hidden form (action and xsrf token); the buttons submit it. */
export function logoutPage(form: string): string {
  return document(
    'Sign out',
    `${form}<p>Do you want to sign out?</p><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}
