import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
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

/** The handover sheet as a printable A4 PDF with the Japanese font embedded. */
export function renderHandoverPdf(sheet: HandoverSheet): Promise<Buffer> {
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
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
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
      if (item.label) {
        doc.font('bold').fontSize(9.5).fillColor(GREY).text(item.label, MARGIN, doc.y, { width });
        doc
          .font('regular')
          .fontSize(10.5)
          .fillColor('black')
          .text(item.value, MARGIN + 12, doc.y, {
            width: width - 12,
          });
      } else {
        doc.font('regular').fontSize(10.5).fillColor('black').text(item.value, MARGIN, doc.y, { width });
      }
      doc.moveDown(0.25);
    }
    doc.moveDown(0.6);
  }
  doc.end();
  return done;
}
