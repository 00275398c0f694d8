// The service's progressive enhancements. Every page works without this file; with it,
// GOV.UK Frontend's components start and the service's own enhancements below run.
// Pages load it as a module (Content-Security-Policy allows scripts from this site only).
import { initAll } from './govuk-frontend.min.js';

initAll();

/**
 * Enhancements register here by the `data-module` of the element they enhance, e.g.
 * `<form data-module="app-upload">`; each gets the element once the page has loaded.
 */
const enhancements = {};

// ---- Agency return: upload with progress (functions/web/pages/agency.ts) --------------------
// Without this script the upload form posts straight to the bucket (a pre-signed POST) and S3
// sends the browser to the confirmation page. With it, the form asks the API for a pre-signed
// POST for the exact file chosen (type and size checked first), uploads it with progress shown,
// then goes to the same confirmation page, which checks until the upload is recorded.

/** The content type of a chosen file: the browser's, or from its extension when the browser has none. */
function agencyFileType(file) {
  if (file.type) return file.type;
  const name = file.name.toLowerCase();
  if (name.endsWith('.pdf')) return 'application/pdf';
  if (name.endsWith('.docx'))
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  return 'application/octet-stream';
}

/** `<form data-module="app-agency-upload">`: the upload, with a progress bar and GOV.UK errors. */
function agencyUpload(form) {
  // Errors are shown the GOV.UK way below, not by the browser.
  form.noValidate = true;
  const typeQuestion = form.querySelector('[data-upload-type-question]');
  // The script knows each file's type: the question is only for browsers without it.
  if (typeQuestion) typeQuestion.hidden = true;
  const input = form.querySelector('input[type="file"]');
  const group = input.closest('.govuk-form-group');
  const progress = form.querySelector('[data-upload-progress]');
  const bar = progress.querySelector('progress');
  const status = form.querySelector('[data-upload-status]');
  const button = form.querySelector('[data-upload-button]');
  const summary = document.querySelector('[data-upload-error-summary]');
  let uploading = false;

  function showError(message) {
    summary.querySelector('[data-upload-error-text]').textContent = message;
    summary.hidden = false;
    group.classList.add('govuk-form-group--error');
    input.classList.add('govuk-file-upload--error');
    let fieldError = group.querySelector('.govuk-error-message');
    if (!fieldError) {
      fieldError = document.createElement('p');
      fieldError.className = 'govuk-error-message';
      fieldError.id = 'file-error';
      input.before(fieldError);
      input.setAttribute(
        'aria-describedby',
        `${input.getAttribute('aria-describedby') ?? ''} file-error`.trim(),
      );
    }
    fieldError.innerHTML = '<span class="govuk-visually-hidden">Error:</span> ';
    fieldError.append(message);
    if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`;
    progress.hidden = true;
    status.textContent = '';
    button.disabled = false;
    uploading = false;
    summary.focus();
  }

  function clearError() {
    summary.hidden = true;
    group.classList.remove('govuk-form-group--error');
    input.classList.remove('govuk-file-upload--error');
    group.querySelector('.govuk-error-message')?.remove();
    document.title = document.title.replace(/^Error: /, '');
  }

  summary.setAttribute('tabindex', '-1');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (uploading) return;
    const file = input.files?.[0];
    if (!file) {
      showError('Select the file with your summary');
      return;
    }
    uploading = true;
    button.disabled = true;
    clearError();
    status.textContent = 'Preparing the upload…';
    let answer;
    try {
      const response = await fetch(form.dataset.uploadApi, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ fileName: file.name, contentType: agencyFileType(file), size: file.size }),
      });
      answer = await response.json();
      if (!response.ok) {
        showError(
          answer.errors?.[0]?.message ?? answer.detail ?? 'The file could not be uploaded. Try again.',
        );
        return;
      }
    } catch {
      showError('The file could not be uploaded. Check your connection and try again.');
      return;
    }

    const body = new FormData();
    for (const [name, value] of Object.entries(answer.fields)) body.append(name, value);
    body.append('file', file);
    const request = new XMLHttpRequest();
    progress.hidden = false;
    const show = (percent) => {
      bar.value = percent;
      status.textContent = `Uploading… ${percent}%`;
    };
    show(0);
    request.upload.addEventListener('progress', (progressEvent) => {
      if (progressEvent.lengthComputable)
        show(Math.round((progressEvent.loaded / progressEvent.total) * 100));
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        show(100);
        status.textContent = 'Uploaded. Checking your file…';
        window.location.assign(form.dataset.confirmation);
      } else {
        showError('The file could not be uploaded. Try again, or contact the partnership team.');
      }
    });
    request.addEventListener('error', () =>
      showError('The file could not be uploaded. Check your connection and try again.'),
    );
    request.open('POST', answer.url);
    request.send(body);
  });
}

/** `<div data-module="app-upload-check">`: asks every 2 seconds (for 2 minutes) whether the upload is recorded, then shows the answer. */
function agencyUploadCheck(element) {
  const status = element.querySelector('[data-upload-check-status]');
  const after = Date.parse(element.dataset.after ?? '');
  const deadline = Date.now() + 120_000;
  const check = async () => {
    try {
      const response = await fetch(element.dataset.pollUrl, { headers: { accept: 'application/json' } });
      if (response.ok) {
        const view = await response.json();
        const last = view.lastUpload;
        if (last && (Number.isNaN(after) || Date.parse(last.at) >= after)) {
          status.textContent = 'Your file has been checked. Showing the result…';
          window.location.reload();
          return;
        }
      }
    } catch {
      // A failed check is tried again until the deadline; the refresh link still works.
    }
    if (Date.now() < deadline) setTimeout(check, 2000);
    else status.textContent = 'This is taking longer than usual. Refresh the page in a minute.';
  };
  setTimeout(check, 1000);
}

enhancements['app-agency-upload'] = agencyUpload;
enhancements['app-upload-check'] = agencyUploadCheck;
// ---- End of agency return ----------------------------------------------------------------------

for (const [name, enhance] of Object.entries(enhancements)) {
  for (const element of document.querySelectorAll(`[data-module="${name}"]`)) enhance(element);
}
