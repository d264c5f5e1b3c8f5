// The query keyval and map stores share: which users have data in a store. (The archive keeps its
// owners in a table of their own, archive_owner, and lists them from there.)

/**
 * The users of one store of a table whose indexes lead with (host, user, store). A loose index
 * scan: it jumps from one user to the next (one seek per user) instead of reading every row of
 * the host, then keeps the users with a row in the store.
 */
export function usersSql(table: "keyval"): string {
  return `
    WITH RECURSIVE u(user) AS (
      SELECT (SELECT user FROM ${table} WHERE host = @host ORDER BY user LIMIT 1)
      UNION ALL
      SELECT (SELECT user FROM ${table} WHERE host = @host AND user > u.user ORDER BY user LIMIT 1)
        FROM u WHERE u.user IS NOT NULL
    )
    SELECT user FROM u
     WHERE user IS NOT NULL
       AND EXISTS (SELECT 1 FROM ${table} t WHERE t.host = @host AND t.user = u.user AND t.store = @store)
     ORDER BY user`;
}
