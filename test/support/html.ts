/** The HTML EGI's repository front end shows: its stored text (escaped once more) decoded once. */
export const decodedOnce = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
