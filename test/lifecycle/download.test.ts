// Which MIME type a downloaded result gets: the server's, unless it declared none or a generic one.
import { resultMimeType } from '../../nodes/shared/binary/download';

test.each([
	['video/mp4', 'https://cdn.example.com/r/raw.mp4', 'video/mp4'],
	['image/png; charset=binary', 'https://cdn.example.com/r/raw.png', 'image/png'],
	['IMAGE/WEBP', 'https://cdn.example.com/r/min', 'image/webp'],
	// storage often serves results as octet-stream: the URL knows better
	['application/octet-stream', 'https://cdn.example.com/r/raw.mp4', 'video/mp4'],
	['binary/octet-stream', 'https://cdn.example.com/r/min.webp?X-Amz-Signature=abc', 'image/webp'],
	[undefined, 'https://cdn.example.com/r/raw.png', 'image/png'],
	['', 'https://cdn.example.com/r/raw.jpg', 'image/jpeg'],
	// and when neither says anything useful, the generic type stays
	['application/octet-stream', 'https://cdn.example.com/r/raw', 'application/octet-stream'],
	[undefined, 'https://cdn.example.com/r/raw', undefined],
])('Content-Type %p for %s gives %p', (contentType, url, expected) => {
	expect(resultMimeType(contentType, url)).toBe(expected);
});
