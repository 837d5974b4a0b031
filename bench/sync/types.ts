// Shapes shared by the runner, the load generator and the node processes.

export type Impl = 'ours' | 'stock';

/** What a node process reports about itself (GET /stats on its stats port). */
export interface NodeStats {
  cpuMs: number;
  rssBytes: number;
  publishes: number;
  publishBytes: number;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** A paced stream of edits: writer(s) → reader(s), every delivery timed. */
export interface StreamResult {
  case: string;
  impl: Impl;
  edits: number;
  /** Edit deliveries expected (edits × readers of its document) and how many arrived. */
  deliveries: number;
  delivered: number;
  targetRate: number;
  /** Client connections the server closed during the window (each reconnects and resyncs: its latencies jump). */
  connectionsClosed: number;
  /** "writer|reader: code reason" of the first closes. */
  closeReasons: string[];
  /** Edits per second the load generator actually sent. */
  achievedRate: number;
  latencyMs: Latency;
  /** Both nodes' process CPU over the window, per delivered edit. */
  cpuMsPerDeliveredEdit: number;
  serverCpuMs: number;
  /** The load generator's own CPU over the same window (its own process). */
  loadCpuMs: number;
  windowMs: number;
  redisPublishesPerEdit: number;
  redisBytesPerEdit: number;
  rssMbPerNode: number[];
}

/** 20k single-key updates sent as fast as possible: how long until all are digested. */
export interface BurstResult {
  case: string;
  impl: Impl;
  updates: number;
  /** Updates sent in one loop before waiting for them to be digested (all of them for the 20k burst). */
  sliceSize: number;
  /** Not digested within the burst timeout: digestedMs is then the timeout, a lower bound. */
  timedOut: boolean;
  /** Client connections the server closed during the burst (e.g. a ping unanswered behind the backlog). */
  connectionsClosed: number;
  /** "writer|reader: code reason" of the first closes. */
  closeReasons: string[];
  /** The load generator writing the pre-encoded messages to the socket (sum over slices). */
  sendMs: number;
  /** The writer's node acknowledged applying every update (Hocuspocus sync-status acks). */
  appliedMs: number;
  /** The reader on the other node holds every update. */
  deliveredMs: number;
  /** Ours: a "saved" ack covers a marker edit sent after the burst (the log commits in order). Stock stores nothing: NaN. */
  storedMs: number;
  /** The latest of the above: the burst is digested. */
  digestedMs: number;
  latencyMs: Latency;
  serverCpuMs: number;
  cpuMsPerUpdate: number;
  loadCpuMs: number;
  redisBytesPerUpdate: number;
  documentName: string;
}

/** Profile the writer's node over one window: its stats base URL and where to write the .cpuprofile. */
export interface Profile {
  nodeUrl: string;
  file: string;
}

export type EditSource = 'insert' | 'trace';
export type Seed = 'none' | 'long-merged' | 'trace';

export interface StreamTask {
  kind: 'stream';
  name: string;
  impl: Impl;
  docs: Array<{ writerUrl: string; readerUrls: string[] }>;
  rate: number;
  durationS: number;
  seed: Seed;
  edits: EditSource;
  statsUrls: string[];
  profile?: Profile;
}

/** The long-history document typed the way clients send it, its 20k deletions as a timed burst, then a paced stream on it. */
export interface KeystrokeHistoryTask {
  kind: 'keystroke-history';
  impl: Impl;
  writerUrl: string;
  readerUrl: string;
  statsUrls: string[];
  rate: number;
  durationS: number;
  /** Profiles the deletion burst. */
  profile?: Profile;
}

export type LoadTask = StreamTask | KeystrokeHistoryTask | { kind: 'configure'; quick: boolean; tracesDir: string };

export interface KeystrokeHistoryResult {
  typing: BurstResult;
  burst: BurstResult;
  stream: StreamResult;
}
