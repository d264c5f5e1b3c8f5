// The one @xmpp/tls internal the admin client adjusts: the socket class both STARTTLS and direct
// TLS connect through (the package ships no typings).
declare module "@xmpp/tls/lib/Socket.js" {
  const Socket: { prototype: { connect(...args: unknown[]): void } };
  export default Socket;
}
