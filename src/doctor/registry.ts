// The registry: which checks make up each doctor suite, in report order. Checks that apply to
// several things (an SRV record set, a listener) are instantiated once per subject here.
import { certChainCheck } from "./checks/cert-chain.js";
import { certKeyMatchCheck } from "./checks/cert-key-match.js";
import { certKeyStrengthCheck } from "./checks/cert-key-strength.js";
import { certKeyUsageCheck } from "./checks/cert-key-usage.js";
import { certLoadCheck } from "./checks/cert-load.js";
import { certNamesCheck } from "./checks/cert-names.js";
import { certServedChainCheck } from "./checks/cert-served-chain.js";
import { certServedNamesCheck } from "./checks/cert-served-names.js";
import { certServedCheck } from "./checks/cert-served.js";
import { certValidityCheck } from "./checks/cert-validity.js";
import { configValidCheck } from "./checks/config-valid.js";
import { diskSpaceCheck } from "./checks/disk-space.js";
import { legacyJabberCheck } from "./checks/dns-legacy-jabber.js";
import { privateAddressesCheck } from "./checks/dns-private-addresses.js";
import { resolverCheck } from "./checks/dns-resolver.js";
import { s2sCheck } from "./checks/dns-s2s.js";
import { serviceNameCheck } from "./checks/dns-service-names.js";
import { srvOrderCheck } from "./checks/dns-srv-order.js";
import { srvPortsCheck } from "./checks/dns-srv-ports.js";
import { srvRecordsCheck } from "./checks/dns-srv-records.js";
import { srvTargetNamesCheck } from "./checks/dns-srv-target-names.js";
import { srvTargetsCheck } from "./checks/dns-srv-targets.js";
import { listenerReachableCheck } from "./checks/listeners-reachable.js";
import { proxyAddressCheck } from "./checks/proxy-address.js";
import { storageHealthCheck } from "./checks/storage-health.js";
import { uploadUrlCheck } from "./checks/upload-url.js";
import type { CertContext } from "./cert/context.js";
import type { DnsContext } from "./dns/context.js";
import type { DnsPlan } from "./dns/plan.js";
import type { ListenerTarget } from "./listeners.js";
import type { SystemContext } from "./system/context.js";
import type { Check } from "./types.js";

/** The resolver first; then, per SRV record set, everything about it; then the names users reach. */
export function dnsChecks(plan: DnsPlan): Check<DnsContext>[] {
  return [
    resolverCheck,
    ...plan.srv.flatMap((exp) => [
      srvRecordsCheck(exp),
      srvPortsCheck(exp),
      srvTargetsCheck(exp),
      srvTargetNamesCheck(exp),
      srvOrderCheck(exp),
      privateAddressesCheck(exp),
    ]),
    s2sCheck,
    ...plan.services.filter((s) => s.reach === "direct").map(serviceNameCheck),
    legacyJabberCheck,
  ];
}

/** The certificate itself, then what each listener serves. */
export function certChecks(listeners: readonly ListenerTarget[]): Check<CertContext>[] {
  return [
    certLoadCheck,
    certNamesCheck,
    certValidityCheck,
    certKeyMatchCheck,
    certKeyStrengthCheck,
    certChainCheck,
    certKeyUsageCheck,
    ...listeners.flatMap((l) => [certServedCheck(l), certServedNamesCheck(l), certServedChainCheck(l)]),
  ];
}

/** The configuration; with a valid one, the listeners, the database, the disk and the upload URL. */
export function systemChecks(configLoaded: boolean, listeners: readonly ListenerTarget[]): Check<SystemContext>[] {
  if (!configLoaded) return [configValidCheck];
  return [configValidCheck, ...listeners.map(listenerReachableCheck), proxyAddressCheck, storageHealthCheck, diskSpaceCheck, uploadUrlCheck];
}
