import { extractText, getDocumentProxy } from 'unpdf';

/** The text of every page of a PDF, as a reader's copy-paste would give it. */
export async function extractPdfText(pdf: Buffer): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: true });
  return text;
}
