import { createHash } from 'node:crypto';

/**
 * The one stylesheet of the end-user pages, served from `/assets/pages.css` with a long cache life;
 * the link carries a hash of the content so a new release is fetched at once. Kept in a `.ts`
 * module (not a `.css` file) so the TypeScript build ships it without a copy step.
 *
 * Colours meet WCAG AA on white: text 17.2:1, muted 7.2:1, links and primary buttons 5.4:1,
 * errors 7.1:1 (6.5:1 on their tint), input borders 3.7:1 (the 3:1 non-text minimum).
 * Tenant branding only sets `--page-bg`/`--page-fg` (see layout.tsx), never the card.
 */
export const pagesCss = `
:root {
  --text: #1b1b1b;
  --muted: #575757;
  --surface: #ffffff;
  --border: #858585;
  --divider: #e1e1e1;
  --accent: #0f6cbd;
  --accent-hover: #0c5a9e;
  --accent-active: #0a4a82;
  --danger: #b10e1c;
  --danger-tint: #fdf3f4;
  --info-tint: #ebf3fc;
  --success: #0e700e;
  --success-tint: #f1faf1;
  --focus: #1b1b1b;
  --page-bg: #eef1f5;
  --page-fg: #424242;
  --radius: 6px;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  background: var(--page-bg);
  color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif;
}
.shell {
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  gap: 20px;
  padding: 40px 16px;
}
.card {
  width: 100%;
  max-width: 440px;
  background: var(--surface);
  border-radius: var(--radius);
  box-shadow: 0 2px 6px rgb(0 0 0 / 0.12), 0 8px 24px rgb(0 0 0 / 0.08);
  padding: 40px 44px 44px;
}
.card--wide { max-width: 760px; }
.brand { margin: 0 0 20px; min-height: 28px; display: flex; align-items: center; }
.brand-logo { display: block; max-height: 36px; max-width: 220px; }
.brand-name { margin: 0; font-size: 17px; font-weight: 600; color: var(--muted); overflow-wrap: anywhere; }

h1, h2 { margin: 0; color: var(--text); line-height: 1.25; overflow-wrap: anywhere; }
.page-heading { margin-bottom: 24px; }
.page-heading h1 { font-size: 24px; font-weight: 600; }
.page-lead { margin: 8px 0 0; color: var(--muted); }
.section + .section { margin-top: 32px; padding-top: 24px; border-top: 1px solid var(--divider); }
.section h2 { font-size: 18px; font-weight: 600; margin-bottom: 12px; }
p { margin: 0 0 12px; }

a { color: var(--accent); text-decoration: underline; text-underline-offset: 2px; }
a:hover { color: var(--accent-hover); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }

.form { display: flex; flex-direction: column; gap: 20px; }
.field { display: flex; flex-direction: column; gap: 6px; }
.field-label { font-weight: 600; }
.field-hint { margin: 0; color: var(--muted); }
.field-error { margin: 0; color: var(--danger); font-weight: 600; }
.field-input {
  width: 100%;
  min-height: 40px;
  padding: 8px 12px;
  font: inherit;
  font-size: 16px;
  color: var(--text);
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 4px;
}
.field-input:hover { border-color: var(--text); }
.field-input:focus { outline: 3px solid var(--accent); outline-offset: 0; border-color: var(--accent); }
.field--invalid .field-input { border: 2px solid var(--danger); }
.field--invalid .field-input:focus { outline-color: var(--danger); }

.actions { display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: center; gap: 12px; }
.actions--start { justify-content: flex-start; }
.button {
  min-height: 40px;
  min-width: 108px;
  padding: 8px 20px;
  font: inherit;
  font-weight: 600;
  border-radius: 4px;
  border: 1px solid transparent;
  cursor: pointer;
  display: inline-flex;
  align-items: center;
  justify-content: center;
  text-decoration: none;
}
.button--primary, .button--primary:hover { color: #ffffff; }
.button--primary { background: var(--accent); }
.button--primary:hover { background: var(--accent-hover); }
.button--primary:active { background: var(--accent-active); }
.button--secondary, .button--secondary:hover { color: var(--text); }
.button--secondary { background: var(--surface); border-color: var(--border); }
.button--secondary:hover { background: #f3f3f3; border-color: var(--text); }

.alert { padding: 12px 16px; border-radius: 4px; border-left: 4px solid; }
.card > .alert { margin-bottom: 24px; }
.alert > :last-child { margin-bottom: 0; }
.alert--error { background: var(--danger-tint); border-color: var(--danger); }
.alert--info { background: var(--info-tint); border-color: var(--accent); }
.alert--success { background: var(--success-tint); border-color: var(--success); }
.alert-title { display: block; margin-bottom: 4px; font-weight: 600; }
.alert ul { margin: 0; padding-left: 20px; }
.alert--error a { color: var(--danger); font-weight: 600; }

.details { margin: 0; display: grid; grid-template-columns: minmax(120px, 35%) 1fr; }
.details > div { display: contents; }
.details dt, .details dd { margin: 0; padding: 10px 0; border-bottom: 1px solid var(--divider); }
.details dt { color: var(--muted); padding-right: 16px; }
.details dd { overflow-wrap: anywhere; }
.details > div:last-child > * { border-bottom: 0; }

.request-id { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }

.page-footer {
  width: 100%;
  max-width: 440px;
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  gap: 8px 16px;
  color: var(--page-fg);
  font-size: 14px;
}
.page-footer--wide { max-width: 760px; }
.page-footer a { color: inherit; }
.page-footer :focus-visible { outline-color: currentColor; }
.language-switcher ul { display: flex; gap: 16px; margin: 0; padding: 0; list-style: none; }
.language-switcher [aria-current] { font-weight: 600; }

.visually-hidden {
  position: absolute !important;
  width: 1px; height: 1px;
  margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%);
  white-space: nowrap;
}

@media (max-width: 600px) {
  body { background: var(--surface); }
  .shell { justify-content: flex-start; padding: 0; gap: 0; }
  .card { max-width: none; border-radius: 0; box-shadow: none; padding: 24px 20px 32px; }
  .page-footer { max-width: none; padding: 16px 20px 24px; border-top: 1px solid var(--divider); color: var(--muted); }
  .details { grid-template-columns: 1fr; }
  .details dt { padding-bottom: 0; border-bottom: 0; }
  .details dd { padding-top: 2px; }
}
`;

export const STYLESHEET_PATH = '/assets/pages.css';
export const stylesheetHref = `${STYLESHEET_PATH}?v=${createHash('sha256').update(pagesCss).digest('hex').slice(0, 12)}`;
