// Live door counts from a server-sent events stream (event "counts"), for volunteers and organizers.
// The browser reconnects a dropped stream by itself; a refused one (the server restarted behind a proxy,
// a credential problem) is retried here with a growing delay, and `poll` fills in meanwhile.
export function watchCounts({ url, poll, onCounts, onState }) {
  let source = null;
  let timer = null;
  let delay = 2000;
  let stopped = false;

  const fallback = async () => {
    if (!poll) return;
    try {
      const counts = await poll();
      if (counts && !stopped) onCounts(counts, { live: false });
    } catch {
      // Offline or refused: the last counts stay, marked as old.
    }
  };

  const retry = () => {
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
    fallback();
  };

  function connect() {
    if (stopped) return;
    onState('connecting');
    try {
      source = new EventSource(url());
    } catch {
      source = null;
      onState('stale');
      retry();
      return;
    }
    source.addEventListener('counts', (e) => {
      let counts;
      try {
        counts = JSON.parse(e.data);
      } catch {
        return;
      }
      delay = 2000;
      onState('live');
      onCounts(counts, { live: true });
    });
    source.addEventListener('error', () => {
      if (!source) return;
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
        onState('stale');
        retry();
      } else {
        onState(navigator.onLine === false ? 'stale' : 'connecting');
      }
    });
  }

  // The network is back: a stream that is not open starts again now rather than after its delay.
  const onOnline = () => {
    if (stopped || (source && source.readyState === EventSource.OPEN)) return;
    if (source) source.close();
    source = null;
    delay = 2000;
    clearTimeout(timer);
    connect();
  };
  window.addEventListener('online', onOnline);
  connect();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', onOnline);
      if (source) source.close();
      source = null;
    },
  };
}
