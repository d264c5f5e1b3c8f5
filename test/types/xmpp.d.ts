// Minimal typings for the parts of @xmpp/client and @xmpp/xml the tests and the admin client use
// (the packages ship none).
declare module "@xmpp/xml" {
  export class Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: Array<Element | string>;
    is(name: string, ns?: string): boolean;
    getChild(name: string, ns?: string): Element | undefined;
    getChildren(name: string, ns?: string): Element[];
    getChildText(name: string, ns?: string): string | null;
    getChildElements(): Element[];
    text(): string;
    toString(): string;
  }
  export default function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: Array<Element | string>): Element;
}

declare module "@xmpp/client" {
  import type { Element } from "@xmpp/xml";
  export interface Client {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(el: Element): Promise<void>;
    on(event: "stanza", fn: (el: Element) => void): void;
    on(event: "error", fn: (err: Error & { condition?: string }) => void): void;
    on(event: string, fn: (...args: never[]) => void): void;
    reconnect: { stop(): void };
    iqCaller: { request(el: Element, timeout?: number): Promise<Element> };
  }
  export function client(options: Record<string, unknown>): Client;
  export function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: Array<Element | string>): Element;
}
