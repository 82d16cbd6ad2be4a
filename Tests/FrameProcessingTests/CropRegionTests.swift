import FrameProcessing
import Testing
import VideoCore

/// Snapshot crops: the box widened by the margin and clipped, copied at full resolution from RGB
/// pictures and from 4:2:0 planes (with the stream's exact conversion), scaled down past the limit.
@Suite struct CropRegionTests {
    @Test func theMarginWidensEachSideAndTheCropIsClippedToThePicture() {
        let inside = CropRegion.around(
            BoundingBox(x1: 100, y1: 50, x2: 140, y2: 100), margin: 0.25, width: 450, height: 344)
        #expect(inside == CropRegion(x0: 90, y0: 37, x1: 150, y1: 113))
        // A face over the top-left corner: 25 % of 25 x 35 px is 6.25 and 8.75 px.
        let corner = CropRegion.around(
            BoundingBox(x1: -5, y1: -5, x2: 20, y2: 30), margin: 0.25, width: 450, height: 344)
        #expect(corner == CropRegion(x0: 0, y0: 0, x1: 27, y1: 39))
        let none = CropRegion.around(BoundingBox(x1: 0, y1: 0, x2: 40, y2: 40), margin: 0, width: 450, height: 344)
        #expect(none == CropRegion(x0: 0, y0: 0, x1: 40, y1: 40))
        #expect(
            CropRegion.around(BoundingBox(x1: 500, y1: 10, x2: 540, y2: 50), margin: 0.25, width: 450, height: 344)
                == nil)
        #expect(
            CropRegion.around(BoundingBox(x1: .nan, y1: 10, x2: 40, y2: 50), margin: 0.25, width: 450, height: 344)
                == nil)
    }

    @Test func anRGBCropIsTheRegionsPixels() throws {
        let photo = try SnapshotPictures.photo()
        let region = try #require(CropRegion.around(SnapshotPictures.leftFace, margin: 0.25, width: 450, height: 344))
        let crop = try #require(region.copy(from: .rgb(photo), maximumSide: 1024))
        #expect(crop.width == region.width && crop.height == region.height)
        for y in [0, crop.height / 2, crop.height - 1] {
            for x in [0, crop.width / 3, crop.width - 1] {
                let inCrop = (y * crop.width + x) * 3
                let inPhoto = ((region.y0 + y) * photo.width + region.x0 + x) * 3
                #expect(crop.pixels[inCrop..<(inCrop + 3)] == photo.pixels[inPhoto..<(inPhoto + 3)])
            }
        }
    }

    @Test func aCropOfPlanesEqualsTheSameRegionOfTheWholeConversion() throws {
        let picture = SnapshotPictures.planes(try SnapshotPictures.photo())
        let whole = picture.rgbImage()
        // Odd corners: the region starts and ends between chroma samples.
        let region = CropRegion(x0: 77, y0: 13, x1: 171, y1: 128)
        let crop = try #require(region.copy(from: .yuv420(picture), maximumSide: 1024))
        #expect(crop.width == 94 && crop.height == 115)
        let reference = try #require(region.copy(from: .rgb(whole), maximumSide: 1024))
        #expect(crop.pixels == reference.pixels)
    }

    @Test func cropsLargerThanTheLimitAreScaledDownByNearestSample() throws {
        let photo = try SnapshotPictures.photo()
        let region = CropRegion(x0: 10, y0: 20, x1: 410, y1: 220)
        let crop = try #require(region.copy(from: .rgb(photo), maximumSide: 100))
        #expect(crop.width == 100 && crop.height == 50)
        // Output pixel (j, i) is source pixel (x0 + 4 j + 2, y0 + 4 i + 2): the centre of its 4 x 4 cell.
        for (x, y) in [(0, 0), (37, 21), (99, 49)] {
            let inCrop = (y * crop.width + x) * 3
            let inPhoto = ((20 + 4 * y + 2) * photo.width + 10 + 4 * x + 2) * 3
            #expect(crop.pixels[inCrop..<(inCrop + 3)] == photo.pixels[inPhoto..<(inPhoto + 3)])
        }
        let planes = SnapshotPictures.planes(photo)
        let fromPlanes = try #require(region.copy(from: .yuv420(planes), maximumSide: 100))
        let fromWhole = try #require(region.copy(from: .rgb(planes.rgbImage()), maximumSide: 100))
        #expect(fromPlanes.pixels == fromWhole.pixels)
    }
}
