// Loaded as a classic (non-module) script as the first child of <body>, so it runs before the page is drawn.
// It is GOV.UK Frontend's inline snippet, in a file because the Content-Security-Policy forbids inline scripts.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
