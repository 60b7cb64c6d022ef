/** The built-in sample and what must be said about it wherever it is shown. */
export const SAMPLE_VIDEO = {
  url: 'samples/vtest.webm',
  name: 'vtest.webm',
  attribution: 'vtest.avi, OpenCV sample data (opencv.org), Apache-2.0',
  description: 'Pedestrians crossing a campus path, fixed camera, 768×576, 10 fps, 79.5 s (VP9 in WebM).',
} as const;
