// Run in a page by the course's browser helper: fetch each group of files at once, one group after the
// other, and read from Resource Timing how many bytes came over the wire and how long the group took.
async (groups) => {
  const results = {};
  for (const [label, urls] of Object.entries(groups)) {
    performance.clearResourceTimings();
    const started = performance.now();
    await Promise.all(urls.map((url) => fetch(url, { cache: "no-store" }).then((answer) => answer.arrayBuffer())));
    const seconds = (performance.now() - started) / 1000;
    const entries = performance.getEntriesByType("resource");
    results[label] = {
      sent: entries.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
      read: entries.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
      seconds: seconds,
    };
  }
  return results;
}
