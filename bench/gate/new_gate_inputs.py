"""Writes the generated inputs of docs/quality-gate.md ("Inputs a user may bring"): 129 images that a user could
bring to Invoke-Swin2SRUpscale and that a per-pixel or per-block quality gate could misjudge.

Usage: /usr/bin/python3 bench/gate/new_gate_inputs.py <folder> [<data folder with Set5/HR>]
Needs numpy and Pillow (apt-get install -y python3-pil python3-numpy). The photo-based ones crop Set5's bird and
butterfly from the data folder (default ../shared/data).
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

def pixel_sets(out, data):
    """Line art, screenshots, pixel art, flat and two-colour images, tiny images, dark, bright and noisy photos,
    gradients, alpha, gray, 16-bit, palette and CMYK inputs."""
    rng=np.random.default_rng(1)
    W,H=96,80
    def save(name, a, mode=None):
        Image.fromarray(a, mode).save(f'{out}/{name}.png')
    def stripes(period_w):
        a=np.zeros((H,W,3),np.uint8)
        for x in range(W):
            c=(x//period_w)%3
            a[:,x,c]=255
        return a
    save('stripes_rgb_1px', stripes(1)); save('stripes_rgb_2px', stripes(2)); save('stripes_rgb_3px', stripes(3))
    h=np.zeros((H,W,3),np.uint8)
    for y in range(H): h[y,:,y%3]=255
    save('stripes_rgb_1px_h', h)
    # black/white stripes, checker
    bw=np.zeros((H,W),np.uint8); bw[:,::2]=255; save('stripes_bw_1px', bw)
    ck=((np.indices((H,W)).sum(0))%2*255).astype(np.uint8); save('checker_1px', ck)
    ck2=((np.indices((H,W))//2).sum(0)%2*255).astype(np.uint8); save('checker_2px', ck2)
    # red/cyan checker (colour only), red/green 1px stripes
    rg=np.zeros((H,W,3),np.uint8); rg[:,::2,0]=255; rg[:,1::2,1]=255; save('stripes_rg_1px', rg)
    # text line art black on white
    img=Image.new('L',(240,120),255); d=ImageDraw.Draw(img)
    for i in range(8): d.text((4,2+i*14),"The quick brown fox jumps over 0123456789",fill=0)
    img.point(lambda v:0 if v<128 else 255).convert('1').save(f'{out}/text_1bit.png')
    img.save(f'{out}/text_gray.png')
    # screenshot-like: UI with colored buttons and text
    s=Image.new('RGB',(200,140),(240,240,240)); d=ImageDraw.Draw(s)
    d.rectangle((0,0,200,20),fill=(40,90,200)); d.text((4,4),"File Edit View Help",fill=(255,255,255))
    for i in range(5): d.rectangle((10,30+i*20,90,45+i*20),fill=(200,60,60) if i%2 else (60,160,60)); d.text((14,32+i*20),f"Button {i}",fill=(255,255,255))
    for i in range(9): d.text((100,28+i*12),"lorem ipsum dolor",fill=(0,0,0))
    s.save(f'{out}/screenshot.png')
    # pixel art: 8x8 blocks random palette small image 32x32
    pal=rng.integers(0,256,(6,3)).astype(np.uint8)
    pa=pal[rng.integers(0,6,(16,16))]; save('pixelart16', pa)
    pa2=np.kron(pal[rng.integers(0,6,(12,12))], np.ones((4,4,1),np.uint8)); save('pixelart48', pa2)
    # flat colours
    for nm,c in [('flat_black',(0,0,0)),('flat_white',(255,255,255)),('flat_red',(255,0,0)),('flat_blue',(0,0,255)),('flat_gray',(128,128,128)),('flat_yellow',(255,255,0))]:
        save(nm, np.full((H,W,3),c,np.uint8))
    # two-colour
    tc=np.zeros((H,W,3),np.uint8); tc[:,:W//2]=(255,0,0); tc[:,W//2:]=(0,0,255); save('two_red_blue_halves', tc)
    tc=np.full((H,W,3),(255,255,255),np.uint8); tc[20:60,30:70]=(0,0,0); save('two_black_square', tc)
    tc=np.full((H,W,3),(255,0,0),np.uint8); tc[:, ::2]=(0,255,0); save('two_red_green_1px', tc)
    tc=np.full((H,W,3),(0,0,255),np.uint8); tc[::2, ::2]=(255,255,0); save('two_blue_yellow_dots', tc)
    # tiny
    for (w,h) in [(1,1),(2,2),(3,7),(7,3),(1,5),(5,1),(4,4),(8,8)]:
        save(f'tiny_{w}x{h}', rng.integers(0,256,(h,w,3)).astype(np.uint8))
    save('tiny_3x7_flat', np.full((7,3,3),(200,50,50),np.uint8))
    # photo-derived: dark, bright
    bird=np.asarray(Image.open(f'{data}/Set5/HR/bird.png').convert('RGB'))[:128,:128].astype(np.float64)
    save('photo_dark', np.clip(bird*0.08,0,255).astype(np.uint8))
    save('photo_very_dark', np.clip(bird*0.03,0,255).astype(np.uint8))
    save('photo_bright', np.clip(255-(255-bird)*0.08,0,255).astype(np.uint8))
    save('photo_overexposed', np.clip(bird*3,0,255).astype(np.uint8))
    save('photo_iso_noise40', np.clip(bird+rng.normal(0,40,bird.shape),0,255).astype(np.uint8))
    save('photo_dark_iso', np.clip(bird*0.15+rng.normal(0,12,bird.shape),0,255).astype(np.uint8))
    save('photo_chroma_noise', np.clip(bird+rng.normal(0,50,bird.shape),0,255).astype(np.uint8))
    lum=rng.normal(0,30,bird.shape[:2])[...,None]
    save('photo_luma_noise', np.clip(bird+lum,0,255).astype(np.uint8))
    # gradients
    g=np.tile(np.linspace(0,255,W),(H,1)).astype(np.uint8); save('gradient_h', g)
    g=np.zeros((H,W,3),np.uint8); g[...,0]=np.linspace(0,255,W)[None]; g[...,2]=np.linspace(0,255,H)[:,None]; save('gradient_rb', g)
    g=np.tile(np.linspace(100,110,W),(H,1)).astype(np.uint8); save('gradient_subtle', g)
    hue=np.zeros((H,W,3),np.float64); hh=np.linspace(0,6,W,endpoint=False)
    for i,x in enumerate(hh):
        k=lambda n:(n+x)%6; f=lambda n: 1-max(0,min(k(n),4-k(n),1)); hue[:,i]=[f(5),f(3),f(1)]
    save('hue_wheel', (hue*255).astype(np.uint8))
    # alpha with garbage RGB under alpha 0
    rgba=np.zeros((H,W,4),np.uint8); rgba[...,:3]=rng.integers(0,256,(H,W,3)); rgba[...,3]=0; rgba[20:60,20:70,:3]=(30,120,200); rgba[20:60,20:70,3]=255
    save('alpha_garbage', rgba)
    rgba2=rgba.copy(); rgba2[...,:3]=rng.integers(0,256,(H,W,3)); rgba2[...,3]=0; rgba2[30:50,30:50]=(250,250,250,255)
    save('alpha_garbage_mostly', rgba2)
    rgba3=np.zeros((H,W,4),np.uint8); rgba3[...,:3]=(255,0,255); rgba3[...,3]=np.linspace(0,255,W)[None].astype(np.uint8); save('alpha_gradient_magenta', rgba3)
    rgba4=np.zeros((H,W,4),np.uint8); rgba4[...,:3]=rng.integers(0,256,(H,W,3)); save('alpha_all_zero_garbage', rgba4)
    # grayscale PNGs, 16-bit
    Image.fromarray(np.asarray(Image.fromarray(bird.astype(np.uint8)).convert('L'))).save(f'{out}/gray8_photo.png')
    g16=(np.asarray(Image.fromarray(bird.astype(np.uint8)).convert('L')).astype(np.uint16)*257)
    Image.fromarray(g16.astype(np.uint16)).save(f'{out}/gray16_photo.png')
    Image.fromarray((np.tile(np.linspace(0,65535,W),(H,1))).astype(np.uint16)).save(f'{out}/gray16_gradient.png')
    # la (gray+alpha)
    Image.fromarray(bird.astype(np.uint8)).convert('LA').save(f'{out}/gray_alpha.png')
    # palette PNG
    Image.fromarray(bird.astype(np.uint8)).convert('P',palette=Image.ADAPTIVE,colors=16).save(f'{out}/palette16.png')
    # CMYK-looking: pure C, M, Y, K blocks and CMYK JPEG
    cm=np.zeros((H,W,3),np.uint8); cm[:, :24]=(0,255,255); cm[:,24:48]=(255,0,255); cm[:,48:72]=(255,255,0); cm[:,72:]=(0,0,0); save('cmyk_bars', cm)
    Image.fromarray(bird.astype(np.uint8)).convert('CMYK').save(f'{out}/cmyk_photo.jpg', quality=90)
    # halftone dots (print scan)
    yy,xx=np.indices((H,W)); ht=(((xx%4)-1.5)**2+((yy%4)-1.5)**2 < 2.5).astype(np.uint8)*255; save('halftone', 255-ht)
    # comic: flat regions with black outlines
    cc=Image.new('RGB',(120,100),(250,220,60)); d=ImageDraw.Draw(cc); d.ellipse((20,10,100,90),fill=(230,80,80),outline=(0,0,0),width=2); d.rectangle((5,60,50,95),fill=(60,120,230),outline=(0,0,0),width=1); cc.save(f'{out}/comic_flat.png')
    # extreme: single pixel dot
    dot=np.zeros((H,W,3),np.uint8); dot[40,48]=255; save('single_white_dot', dot)
    sparse=np.zeros((H,W,3),np.uint8); sparse[::8,::8]=255; save('sparse_stars', sparse)
    # narrow lines: 1px black line on white grid
    grid=np.full((H,W),255,np.uint8); grid[::6,:]=0; grid[:,::6]=0; save('grid_lines', grid)
    # dithered 1-bit photo
    Image.fromarray(bird.astype(np.uint8)).convert('L').convert('1').save(f'{out}/dithered_1bit.png')
    # salt and pepper
    sp=bird.copy(); m=rng.random(bird.shape[:2]); sp[m<0.1]=0; sp[m>0.9]=255; save('salt_pepper', sp.astype(np.uint8))
    # red/blue 1px checker (colour only)
    rb=np.zeros((H,W,3),np.uint8); par=(np.indices((H,W)).sum(0)%2).astype(bool); rb[par]=(255,0,0); rb[~par]=(0,0,255); save('checker_red_blue', rb)
    # jpeg heavy
    Image.fromarray(bird.astype(np.uint8)).save(f'{out}/jpeg_q5.jpg', quality=5)
    # uniform noise
    save('noise_uniform', rng.integers(0,256,(H,W,3)).astype(np.uint8))
    save('noise_gray', rng.integers(0,256,(H,W)).astype(np.uint8))


def pattern_sets(out, data):
    """Fine periodic patterns: stripes, checkers and mosaics of 1-5 pixels in many colours."""
    H,W=80,96; rng=np.random.default_rng(2)
    def save(n,a): Image.fromarray(a).save(f'{out}/{n}.png')
    def cyc(cols, width, axis='x'):
        a=np.zeros((H,W,3),np.uint8); cols=np.array(cols,np.uint8)
        yy,xx=np.indices((H,W))
        idx={'x':xx,'y':yy,'d':xx+yy,'a':xx-yy+1000}[axis]//width%len(cols)
        return cols[idx]
    R,G,B,C,M,Yl,K,Wt=(255,0,0),(0,255,0),(0,0,255),(0,255,255),(255,0,255),(255,255,0),(0,0,0),(255,255,255)
    for w in (1,2,3,4,5):
        save(f'rgb_{w}px', cyc([R,G,B],w))
    save('rgb_1px_diag', cyc([R,G,B],1,'d'))
    save('rgb_2px_diag', cyc([R,G,B],2,'d'))
    save('rgbk_1px', cyc([R,G,B,K],1)); save('rgbw_1px', cyc([R,G,B,Wt],1))
    save('cmy_1px', cyc([C,M,Yl],1)); save('cmy_2px', cyc([C,M,Yl],2))
    save('rc_1px', cyc([R,C],1)); save('mg_1px', cyc([M,G],1)); save('by_1px', cyc([B,Yl],1))
    save('bw_1px', cyc([K,Wt],1)); save('bw_2px', cyc([K,Wt],2)); save('bww_1px', cyc([K,Wt,Wt],1)); save('bkw_3_1', cyc([K,K,K,Wt],1))
    save('bw_1px_diag', cyc([K,Wt],1,'d')); save('rgb_1px_anti', cyc([R,G,B],1,'a'))
    save('rainbow_1px', cyc([R,Yl,G,C,B,M],1)); save('rainbow_2px', cyc([R,Yl,G,C,B,M],2))
    yy,xx=np.indices((H,W)); a=np.array([R,G,B],np.uint8)[(xx+2*yy)%3]; save('rgb_mosaic', a)
    bayer=np.zeros((H,W,3),np.uint8); bayer[0::2,0::2,0]=255; bayer[0::2,1::2,1]=255; bayer[1::2,0::2,1]=255; bayer[1::2,1::2,2]=255; save('bayer_mosaic', bayer)
    # zone plate
    r2=((xx-W/2)**2+(yy-H/2)**2); save('zoneplate', (127.5+127.5*np.cos(r2*np.pi/W)).astype(np.uint8))
    # random 1-bit noise, random colour palette noise of 3 colours
    save('binary_noise', (rng.integers(0,2,(H,W))*255).astype(np.uint8))
    save('rgb_noise_pixels', np.array([R,G,B],np.uint8)[rng.integers(0,3,(H,W))])
    save('text_tiny_pixels', np.where(rng.random((H,W))<0.15,0,255).astype(np.uint8))
    # large image of 1px rgb stripes (several regions)
    a=np.zeros((300,400,3),np.uint8); a[:,0::3,0]=255; a[:,1::3,1]=255; a[:,2::3,2]=255; save('rgb_1px_large', a)


def dither_sets(out, data):
    """Colour dithers and halftones of photos, subpixel and coloured text, extreme shapes, a Bayer-sampled photo."""
    rng=np.random.default_rng(3)
    bird=Image.open(f'{data}/Set5/HR/bird.png').convert('RGB').crop((0,0,160,128))
    butter=Image.open(f'{data}/Set5/HR/butterfly.png').convert('RGB').crop((0,0,160,128))
    def save(n,im): im.save(f'{out}/{n}')
    save('dither_web_bird.png', bird.convert('P',palette=Image.WEB,dither=Image.FLOYDSTEINBERG))
    save('dither_8col_butterfly.png', butter.quantize(colors=8, dither=Image.FLOYDSTEINBERG))
    save('dither_4col_butterfly.gif', butter.quantize(colors=4, dither=Image.FLOYDSTEINBERG))
    save('dither_1bit_butterfly.png', butter.convert('1'))
    # 3-bit RGB (each channel 1-bit, FS dither): the harshest colour dither
    a=np.asarray(butter).astype(float)/255; o=np.zeros_like(a); e=a.copy()
    H,W,_=a.shape
    for y in range(H):
        for x in range(W):
            old=e[y,x].copy(); new=(old>0.5).astype(float); o[y,x]=new; err=old-new
            if x+1<W: e[y,x+1]+=err*7/16
            if y+1<H:
                if x>0: e[y+1,x-1]+=err*3/16
                e[y+1,x]+=err*5/16
                if x+1<W: e[y+1,x+1]+=err*1/16
    save('dither_3bit_butterfly.png', Image.fromarray((o*255).astype(np.uint8)))
    # ordered (Bayer matrix) dither per channel, 1 bit
    M=np.array([[0,8,2,10],[12,4,14,6],[3,11,1,9],[15,7,13,5]])/16+1/32
    t=np.tile(M,(H//4+1,W//4+1))[:H,:W,None]
    save('ordered_3bit_butterfly.png', Image.fromarray(((a>t)*255).astype(np.uint8)))
    save('ordered_3bit_bird.png', Image.fromarray(((np.asarray(bird).astype(float)/255>t)*255).astype(np.uint8)))
    # subpixel (ClearType-like) text: render 3x wide in gray, map 3 subpixels to RGB
    big=Image.new('L',(600,100),255); d=ImageDraw.Draw(big)
    for i in range(7): d.text((2,2+i*13),"Subpixel text 0123456789 ClearType fringe",fill=0)
    g=np.asarray(big).astype(np.uint8); sp=g.reshape(100,200,3)
    save('subpixel_text.png', Image.fromarray(sp.copy()))
    # coloured text on coloured background
    ct=Image.new('RGB',(200,100),(20,40,160)); d=ImageDraw.Draw(ct)
    for i in range(7): d.text((2,2+i*13),"Red text on blue, tiny font",fill=(230,30,30))
    save('red_on_blue_text.png', ct)
    # colour halftone: CMY dots rotated screens
    yy,xx=np.indices((128,160)).astype(float)
    def screen(ang,val,period=4):
        c,s=np.cos(ang),np.sin(ang); u=(xx*c+yy*s)/period; v=(-xx*s+yy*c)/period
        dist=np.hypot(u-np.round(u),v-np.round(v)); return dist< np.sqrt(val/np.pi)
    ba=np.asarray(bird).astype(float)/255
    cmy=1-ba; ht=np.ones_like(ba)
    for ch,ang in zip(range(3),(0.26,1.31,0)):
        ink=screen(ang,cmy[...,ch]); ht[...,ch]=1-ink
    save('colour_halftone_bird.png', Image.fromarray((ht*255).astype(np.uint8)))
    # 4:2:0 JPEG of saturated pixel art / text at low quality
    ct.save(f'{out}/jpeg_q30_text_colour.jpg', quality=30)
    # thin 1px coloured lines on white
    tl=np.full((100,120,3),255,np.uint8); tl[::5,:]=(255,0,0); tl[:,::7]=(0,0,255); save('thin_colour_lines.png', Image.fromarray(tl))
    # extreme shapes
    for (w,h) in [(1,2),(2,1),(1,64),(64,1),(2,200),(300,3)]:
        save(f'shape_{w}x{h}.png', Image.fromarray(rng.integers(0,256,(h,w,3)).astype(np.uint8)))
    save('shape_300x3_stripes.png', Image.fromarray(np.array([[255,0,0],[0,255,0],[0,0,255]],np.uint8)[np.arange(300)%3][None].repeat(3,0)))
    # checker of saturated complementary colours 2px, at 1px: magenta/green
    mg=np.zeros((80,96,3),np.uint8); par=((np.indices((80,96))//1).sum(0)%2).astype(bool); mg[par]=(255,0,255); mg[~par]=(0,255,0); save('checker_magenta_green.png', Image.fromarray(mg))
    # bayer mosaic of a real photo (raw CFA look)
    cfa=np.zeros_like(np.asarray(bird)); b=np.asarray(bird)
    cfa[0::2,0::2,0]=b[0::2,0::2,0]; cfa[0::2,1::2,1]=b[0::2,1::2,1]; cfa[1::2,0::2,1]=b[1::2,0::2,1]; cfa[1::2,1::2,2]=b[1::2,1::2,2]
    save('bayer_cfa_bird.png', Image.fromarray(cfa))

def faint_sets(out, data):
    """Faint texture on a flat ground, for the blank check: low noise, 1-pixel grey checkers and stripes."""
    rng=np.random.default_rng(4); H,W=80,96
    def save(n,a): Image.fromarray(np.clip(a,0,255).astype(np.uint8)).save(f'{out}/{n}.png')
    for s in (2,3,5,8):
        save(f'grey_noise_s{s}', 128+rng.normal(0,s,(H,W)))
        save(f'colour_noise_s{s}', np.array([200,120,60])+rng.normal(0,s,(H,W,3)))
    save('white_page_noise_s3', 245+rng.normal(0,3,(H,W)))
    save('black_noise_s3', 8+rng.normal(0,3,(H,W)))
    save('checker_grey_16', (np.indices((H,W)).sum(0)%2)*16+120)
    save('checker_grey_6', (np.indices((H,W)).sum(0)%2)*6+125)
    st=np.zeros((H,W)); st[:, ::2]=10; save('stripes_grey_10', 120+st)


if __name__ == '__main__':
    folder = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else '../shared/data'
    os.makedirs(folder, exist_ok=True)
    for make in (pixel_sets, pattern_sets, dither_sets, faint_sets):
        make(folder, data)
    print(len(os.listdir(folder)), 'images in', folder)
