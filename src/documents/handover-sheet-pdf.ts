import { fileURLToPath } from 'node:url';
import type { HandoverSheet } from '../core/cases/handover-sheet.js';

/**
 * Noto Sans JP (SIL OFL 1.1, assets/fonts/README.md): the Japanese subset (JIS level 1 and 2 kanji,
 * kana, Latin), which pdfkit embeds as a subset of just the glyphs a sheet uses (a sheet is ~20-60 kB).
 */
const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));
export const SHEET_FONTS = {
  regular: `${FONT_DIR}NotoSansJP-Regular.otf`,
  bold: `${FONT_DIR}NotoSansJP-Bold.otf`,
};

const MARGIN = 50;
const GREY = '#555555';
/** Labels sit in a column of their own, values beside them: a sheet fits one page. */
const LABEL_WIDTH = 118;

/** The handover sheet as a printable A4 PDF with the Japanese font embedded. */
export async function renderHandoverPdf(sheet: HandoverSheet): Promise<Buffer> {
  // Loaded on first use: the service starts without it, and most instances never draw a sheet.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${sheet.title} ${sheet.number}`, Creator: 'madoguchi' },
    lang: 'ja-JP',
    displayTitle: true,
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', SHEET_FONTS.regular);
  doc.registerFont('bold', SHEET_FONTS.bold);
  const width = doc.page.width - MARGIN * 2;

  doc.font('bold').fontSize(16).text(sheet.title, { width });
  doc.font('regular').fontSize(10).fillColor(GREY).text(`${sheet.number}`, { width });
  doc.moveDown(0.5);
  const noticeTop = doc.y;
  doc
    .fillColor('black')
    .fontSize(9.5)
    .text(sheet.notice, MARGIN + 8, noticeTop + 6, { width: width - 16 });
  const noticeBottom = doc.y + 6;
  doc
    .rect(MARGIN, noticeTop, width, noticeBottom - noticeTop)
    .lineWidth(sheet.variant === 'consented' ? 0.8 : 1.6)
    .stroke();
  doc.x = MARGIN;
  doc.y = noticeBottom + 10;

  for (const section of sheet.sections) {
    if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
    doc.font('bold').fontSize(12).fillColor('black').text(section.heading, MARGIN, doc.y, { width });
    const ruleY = doc.y + 1;
    doc
      .moveTo(MARGIN, ruleY)
      .lineTo(MARGIN + width, ruleY)
      .lineWidth(0.5)
      .strokeColor(GREY)
      .stroke();
    doc.strokeColor('black');
    doc.y = ruleY + 4;
    for (const item of section.items) {
      if (doc.y > doc.page.height - MARGIN - 30) doc.addPage();
      const top = doc.y;
      if (item.label) {
        doc
          .font('bold')
          .fontSize(9.5)
          .fillColor(GREY)
          .text(item.label, MARGIN, top + 1, { width: LABEL_WIDTH });
        const labelBottom = doc.y;
        doc.font('regular').fontSize(10.5).fillColor('black');
        doc.text(item.value, MARGIN + LABEL_WIDTH + 10, top, { width: width - LABEL_WIDTH - 10 });
        doc.y = Math.max(labelBottom, doc.y);
      } else {
        doc.font('regular').fontSize(10.5).fillColor('black').text(item.value, MARGIN, top, { width });
      }
      doc.moveDown(0.2);
    }
    doc.moveDown(0.5);
  }
  doc.end();
  return done;
}
