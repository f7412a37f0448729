/**
 * The Graph surface's request limits, as data (DESIGN §10). Every Graph route takes bodies of at
 * most GRAPH_BODY_LIMIT bytes unless it declares its own `bodyLimit` (`POST /$batch` carries up
 * to 20 requests, so it may take GRAPH_BATCH_BODY_LIMIT). Over a limit: 413 naming it.
 *
 * 128 KiB holds the largest object Graph allows (a user with 250 otherMails of 250 characters and
 * every string property at its maximum is about 80 KB), far below the server-wide 4 MB.
 */
export const GRAPH_BODY_LIMIT = 128 * 1024;

/** For `POST /$batch`: 20 items, each body within GRAPH_BODY_LIMIT in practice; 1 MiB in all. */
export const GRAPH_BATCH_BODY_LIMIT = 1024 * 1024;

/** JSON nesting no Graph body comes near (a $batch item's identities entry is at level 6). */
export const GRAPH_JSON_MAX_DEPTH = 32;
