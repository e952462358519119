// proxy-from-env 2.x ships no type declarations; this is the one function cscws uses.
declare module 'proxy-from-env' {
  /**
   * Returns the proxy URL for `url` from HTTP_PROXY, HTTPS_PROXY, WS_PROXY, WSS_PROXY or ALL_PROXY
   * (either case), or '' when NO_PROXY matches the host or no proxy is set.
   */
  export function getProxyForUrl(url: string | URL): string;
}
