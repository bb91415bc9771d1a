"""Seeds for `Swin2SR.Bench writerfuzz` (docs/fuzzing.md, "Run 5"): small files of every flavour the loader reads, with
EXIF (and GPS), ICC and XMP where the format carries them.

Usage (Debian's python3-pil and python3-numpy, exiftool, ImageMagick's convert):
    /usr/bin/python3 bench/fuzz/make_writer_seeds.py <folder>
"""
import io, pathlib, subprocess, sys, tempfile, numpy as np
from PIL import Image, ImageCms
out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
scratch = pathlib.Path(tempfile.mkdtemp())
rng = np.random.default_rng(3)
def arr(h, w, c): return rng.integers(0, 255, (h, w, c), dtype=np.uint8)
rgb = Image.fromarray(arr(16, 24, 3)); rgba = Image.fromarray(arr(16, 16, 4)); gray = rgb.convert('L')
icc = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()
def exif_gps():
    e = rgb.getexif(); e[0x0112] = 6; e[0x010F] = 'FuzzCam'; e[0x0131] = 'seeds'
    g = e.get_ifd(0x8825); g[1] = 'N'; g[2] = (52.0, 30.0, 12.5); g[3] = 'E'; g[4] = (13.0, 24.0, 1.0)
    x = e.get_ifd(0x8769); x[0xA002] = 24; x[0xA003] = 16; x[0x9003] = '2024:01:02 03:04:05'
    return e
ex = exif_gps().tobytes()
def save(name, im, fmt, **kw):
    b = io.BytesIO(); im.save(b, fmt, **kw); (out / name).write_bytes(b.getvalue())
save('rgb8-meta.png', rgb, 'PNG', exif=ex, icc_profile=icc)
save('gray.png', gray, 'PNG')
save('gray16.png', Image.fromarray((rng.integers(0, 65535, (12, 10))).astype(np.uint16)), 'PNG')
pal = rgba.convert('P'); save('palette-trns.png', pal, 'PNG', transparency=3)
save('rgba.png', rgba, 'PNG')
save('apng.png', rgb, 'PNG', save_all=True, append_images=[rgb.rotate(90, expand=False), gray.convert('RGB')], duration=100, loop=0)
save('base-meta.jpg', rgb, 'JPEG', quality=85, exif=ex, icc_profile=icc)
save('prog.jpg', rgb, 'JPEG', quality=85, progressive=True, exif=ex)
save('cmyk.jpg', rgb.convert('CMYK'), 'JPEG', quality=85)
save('gray.jpg', gray, 'JPEG', quality=85)
save('lossy-meta.webp', rgb, 'WEBP', quality=70, exif=ex, icc_profile=icc, xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>')
save('lossless.webp', rgba, 'WEBP', lossless=True)
save('anim.webp', rgb, 'WEBP', save_all=True, append_images=[rgb.rotate(90)], duration=100)
save('rgb24.bmp', rgb, 'BMP'); save('pal8.bmp', rgb.convert('P'), 'BMP'); save('rgba32.bmp', rgba, 'BMP')
frames = [rgba.convert('P'), rgb.convert('P'), gray.convert('P')]
save('anim.gif', frames[0], 'GIF', save_all=True, append_images=frames[1:], duration=80, loop=0, transparency=0, disposal=2)
save('strips.tif', rgb, 'TIFF', exif=ex, rows_per_strip=4)
save('lzw.tif', rgb, 'TIFF', compression='tiff_lzw', exif=ex, icc_profile=icc)
save('deflate.tif', rgba, 'TIFF', compression='tiff_adobe_deflate')
save('jpeg-in.tif', Image.fromarray(arr(32, 32, 3)), 'TIFF', compression='jpeg')
save('multipage.tif', rgb, 'TIFF', save_all=True, append_images=[gray, rgb], compression='tiff_lzw', exif=ex)
xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" tiff:Orientation="6" exif:PixelXDimension="24"><tiff:XResolution>300/1</tiff:XResolution></rdf:Description></rdf:RDF></x:xmpmeta>'
(scratch / 'x.xmp').write_text(xmp)
(scratch / 'srgb.icc').write_bytes(icc)
for n in ['rgb8-meta.png', 'base-meta.jpg', 'prog.jpg', 'strips.tif', 'multipage.tif', 'lzw.tif', 'jpeg-in.tif', 'cmyk.jpg', 'lossy-meta.webp']:
    subprocess.run(['exiftool', '-q', '-overwrite_original', f'-xmp<={scratch}/x.xmp', '-GPSLatitude=52.5', '-GPSLatitudeRef=N', '-GPSLongitude=13.4', '-GPSLongitudeRef=E', '-GPSAltitude=35', '-Make=FuzzCam', '-Orientation#=6', '-ExifImageWidth=24', '-ExifImageHeight=16', f'-icc_profile<={scratch}/srgb.icc', '-XResolution=300', '-YResolution=300', '-ResolutionUnit=inches', str(out / n)], check=True)
subprocess.run(['convert', '-size', '12x10', 'gradient:red-blue', '-depth', '16', str(out / 'rgb16.png')], check=True)
