// The `ws` package ships no types and @types/ws is not installed; Triad only hands its WebSocket class to
// supabase-js as the realtime transport, so its constructor is all that is declared.
declare module 'ws' {
  const WebSocket: new (address: string | URL, protocols?: string | string[]) => object;
  export default WebSocket;
}
