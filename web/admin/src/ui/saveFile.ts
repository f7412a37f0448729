/** Hands a downloaded file to the browser's "save" (an object URL and a link with `download`). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started the download from the URL by the time the click handler returns; keep it a moment longer.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
