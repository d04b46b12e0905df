import type { Reply } from '../../bot/index.js';
import { hasCaptureLadder, renderCaptureDetails, withoutFrameEvidence } from './render-capture.js';
import { hasCertificates, renderCertificateDetails } from './render-certificates.js';
import { hasDomainExport, renderExportDetails } from './render-export.js';
import { renderBriefText, renderDiagnosisText } from './render-diagnosis.js';
import { noteLines, renderChangeText, renderIncidentText, renderNotedText } from './render-incident.js';

// Plain-text rendering of the neutral Reply, for the terminal (CLI and console) and as the
// fallback text of chat messages. The last line of a diagnosis is always "cause: <id>".

export function renderReplyText(reply: Reply): string {
  switch (reply.kind) {
    case 'help':
      return [reply.title, '', ...reply.lines.map((l) => `  - ${l}`)].join('\n');
    case 'notice':
      return reply.text;
    case 'error':
      return `error (${reply.code}): ${reply.text}`;
    case 'diagnosis': {
      // The first reply in a chat is chat-sized; 'details' (and a reply no thread keeps) is whole.
      if (!reply.full) return renderBriefText(reply.diagnosis, reply.route, reply.incident);
      if (hasCaptureLadder(reply.diagnosis)) {
        // A capture's ladder shows the failing handshake message by message: it comes first.
        return `${renderCaptureDetails(reply.diagnosis)}\n\n${renderDiagnosisText(withoutFrameEvidence(reply.diagnosis), reply.route, reply.incident ? noteLines(reply.incident) : [])}`;
      }
      const text = renderDiagnosisText(reply.diagnosis, reply.route, reply.incident ? noteLines(reply.incident) : []);
      // A certificate's or an export's details are the answer to "what is in this file?": they come first.
      const exported = hasDomainExport(reply.diagnosis) ? `${renderExportDetails(reply.diagnosis)}\n\n` : '';
      return hasCertificates(reply.diagnosis) ? `${renderCertificateDetails(reply.diagnosis)}\n\n${exported}${text}` : `${exported}${text}`;
    }
    case 'change':
      return renderChangeText(reply);
    case 'noted':
      return renderNotedText(reply);
    case 'incident':
      return renderIncidentText(reply.report, reply.view);
    case 'warning':
      return `!!! WARNING [${reply.warning.id}]: ${reply.warning.text}`;
  }
}
