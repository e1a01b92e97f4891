/* Marks the words a reader searched for on a cable page opened from a search result.

   Search results link here with `?highlight=word` (one parameter per word). Pagefind's own
   highlighter does the marking; it is fetched only when the parameter is present, so a
   cable read any other way loads nothing more. Its bundle lives beside the search index,
   whose folder depends on how the index was sharded: search/shards.json names it. */

const terms = new URLSearchParams(location.search).getAll("highlight").filter((term) => term.trim());

if (terms.length) {
  highlight().catch(() => {
    // Highlighting is a courtesy: the page reads the same without it, so a failure stays quiet.
  });
}

async function highlight() {
  // This file is published as <site>/static/highlight.<hash>.js: the site's root is one up.
  const root = new URL("../", import.meta.url);
  const response = await fetch(new URL("search/shards.json", root));
  if (!response.ok) return;
  const shards = (await response.json()).shards ?? [];
  if (!shards.length) return;
  const bundle = new URL(`${shards[0].path}/pagefind-highlight.js`, root);
  const { default: PagefindHighlight } = await import(bundle.href);
  // Pagefind would add an inline <style> for the marks, which the site's Content-Security-
  // Policy refuses; site.css styles `mark.pagefind-highlight` instead.
  new PagefindHighlight({ highlightParam: "highlight", addStyles: false });
}
